/**
 * The Ollama stand-in's HTTP server: Ollama's endpoints, generate/chat streaming with faults, and the /__control
 * endpoints another process switches it with. The API and the wire facts it reproduces are described in
 * ./ollama-standin.ts.
 */
import type http from "node:http";
import type { OllamaStandin, StandinOptions, StandinRequest } from "./ollama-standin";
import { parseFault, type OllamaFault } from "./ollama-faults";
import { DEFAULT_MODELS, describeModel, showModel, withTag } from "./ollama-models";
import { plantedLogprobs } from "./planted-logprobs";
import { recordingsFor, replyFor, splitIntoChunks } from "./recorded-replies";
import { FaultSwitch, HttpError, isRecord, parseJsonOrText, readBody, sendJson, StandinServer } from "./standin-core";
import { ReplyTracker, streamingPlumbing } from "./standin-replies";

export const STANDIN_VERSION = "0.12.11";

const MS = 1_000_000; // ns per ms
const MAX_BODY = 32 * 1024 * 1024;
const JSON_HEADERS = { "content-type": "application/json; charset=utf-8" };

const sendOllamaJson = (res: http.ServerResponse, status: number, body: unknown, head = false) =>
  sendJson(res, status, body, JSON_HEADERS, head);

function sendText(res: http.ServerResponse, status: number, text: string, head = false) {
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", "Content-Length": Buffer.byteLength(text) });
  res.end(head ? undefined : text);
}

/** Parses a JSON request body like Ollama's gin binding: empty → 400 "missing request body". */
function parseJsonBody(text: string): Record<string, unknown> {
  if (text.trim() === "") throw new HttpError(400, "missing request body");
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new HttpError(400, e instanceof Error ? e.message : "invalid JSON");
  }
  if (!isRecord(v)) throw new HttpError(400, "json: cannot unmarshal into Go value of type api.Request");
  return v;
}

function versionAtLeast(v: string, min: string): boolean {
  const a = v.split(".").map(Number);
  const b = min.split(".").map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d > 0;
  }
  return true;
}

export async function startOllamaStandin(opts: StandinOptions = {}): Promise<OllamaStandin> {
  const recordings = recordingsFor(opts.recordingsPath);
  let models: string[] = [...(opts.models ?? DEFAULT_MODELS)];
  const faults = new FaultSwitch<OllamaFault>({ kind: "none" });
  const loaded = new Map<string, number>(); // full model name → loaded-at ms
  const requests: StandinRequest[] = [];
  const tracker = new ReplyTracker("ollama stand-in");
  tracker.setTokenDelay(opts.tokenDelayMs ?? 0);
  const version = opts.version ?? STANDIN_VERSION;
  // Like a real server before 0.12.11: the logprobs request fields are ignored, so no reply carries any.
  const logprobsSupported = versionAtLeast(version, "0.12.11");
  const stats = tracker.stats;

  const findModel = (name: string) => {
    const want = withTag(name);
    return models.find((m) => withTag(m) === want) ?? null;
  };

  async function handleGenerate(kind: "generate" | "chat", body: Record<string, unknown>, res: http.ServerResponse) {
    const model = body.model;
    if (typeof model !== "string" || model === "") throw new HttpError(400, "model is required");
    const stream = body.stream !== false;
    let promptText: string;
    let keepLeadingModel = false;
    let isLoadOnly = false;
    if (kind === "generate") {
      if (
        body.raw === true &&
        ((typeof body.template === "string" && body.template !== "") ||
          (typeof body.system === "string" && body.system !== "") ||
          (Array.isArray(body.context) && body.context.length > 0))
      ) {
        throw new HttpError(400, "raw mode does not support template, system, or context");
      }
      if (body.prompt !== undefined && typeof body.prompt !== "string")
        throw new HttpError(
          400,
          "json: cannot unmarshal prompt into Go struct field GenerateRequest.prompt of type string",
        );
      promptText = typeof body.prompt === "string" ? body.prompt : "";
      keepLeadingModel = promptText.trimEnd().endsWith("<start_of_turn>");
      isLoadOnly = promptText === "" && !(Array.isArray(body.images) && body.images.length > 0);
    } else {
      const messages = body.messages;
      if (messages !== undefined && messages !== null && !Array.isArray(messages))
        throw new HttpError(
          400,
          "json: cannot unmarshal messages into Go struct field ChatRequest.messages of type []api.Message",
        );
      const list = (Array.isArray(messages) ? messages : []).filter(isRecord);
      const contentOf = (m: Record<string, unknown>) => (typeof m.content === "string" ? m.content : "");
      const lastUser = [...list].reverse().find((m) => m.role === "user");
      promptText = lastUser ? contentOf(lastUser) : list.map(contentOf).join("\n");
      isLoadOnly = list.length === 0;
    }
    const known = findModel(model);
    if (!known) throw new HttpError(404, `model '${model}' not found`);

    const f = faults.take();
    if (f.kind === "http500") throw new HttpError(500, "llama runner process has terminated: exit status 2");
    if (f.kind === "status") throw new HttpError(f.status, f.error);

    const g = tracker.track(res);
    if (f.kind === "hangBeforeHeaders") return;

    const full = withTag(known);
    const wasLoaded = loaded.has(full);
    loaded.set(full, Date.now());
    const started = process.hrtime.bigint();
    const createdAt = () => new Date().toISOString();
    const promptTokens = Math.max(1, Math.round(promptText.length / 4));
    const loadNs = wasLoaded ? 12 * MS + (promptText.length % 7) * MS : 1_450 * MS;
    const base = { model }; // Ollama echoes the model name as sent
    const piece = (text: string) =>
      kind === "generate" ? { response: text } : { message: { role: "assistant", content: text } };

    if (isLoadOnly) {
      // Ollama answers an empty prompt / no messages with a single "load" response.
      g.finished = true;
      const done = { ...base, created_at: createdAt(), ...piece(""), done: true, done_reason: "load" };
      if (stream) {
        res.writeHead(200, { "Content-Type": "application/x-ndjson" });
        res.end(`${JSON.stringify(done)}\n`);
      } else sendOllamaJson(res, 200, done);
      return;
    }

    let reply = replyFor(recordings, model, promptText, keepLeadingModel);
    let doneReason: "stop" | "length" = "stop";
    const options = isRecord(body.options) ? body.options : {};
    const stops = (
      Array.isArray(options.stop) ? options.stop : typeof options.stop === "string" ? [options.stop] : []
    ).filter((s): s is string => typeof s === "string" && s !== "");
    let cut = reply.length;
    for (const s of stops) {
      const i = reply.indexOf(s);
      if (i >= 0 && i < cut) cut = i;
    }
    reply = reply.slice(0, cut);
    let chunks = splitIntoChunks(reply);
    const numPredict = typeof options.num_predict === "number" ? Math.trunc(options.num_predict) : -1;
    if (numPredict > 0 && chunks.length >= numPredict) {
      chunks = chunks.slice(0, numPredict);
      doneReason = "length";
    }
    const wantLogprobs = logprobsSupported && body.logprobs === true;
    const topN = typeof body.top_logprobs === "number" ? Math.max(0, Math.min(20, Math.trunc(body.top_logprobs))) : 0;
    // Ollama's shape: [{token, logprob, top_logprobs?}], top_logprobs only when more than 0 were asked for.
    const planted = plantedLogprobs(chunks, topN);
    const logprobsFor = (i: number) => {
      const p = planted[i]!;
      return [{ token: p.token, logprob: p.logprob, ...(topN > 0 && { top_logprobs: p.top }) }];
    };

    const f2 = f;
    const stopAfter = f2.kind === "dieMidStream" || f2.kind === "errorLineMidStream" ? f2.afterChunks : Infinity;
    let sent = 0;
    let firstChunkAt: bigint | null = null;
    let text = "";

    const finalChunk = () => {
      const now = process.hrtime.bigint();
      const evalNs = Math.max(sent * MS, firstChunkAt === null ? 0 : Number(now - firstChunkAt));
      const promptEvalNs = promptTokens * 150_000;
      const totalNs = Math.max(Number(now - started), loadNs + promptEvalNs + evalNs + 2 * MS);
      const metrics: Record<string, unknown> = {
        done: true,
        done_reason: doneReason,
      };
      if (kind === "generate" && body.raw !== true) {
        const n = promptTokens + sent;
        metrics.context = Array.from({ length: n }, (_, k) => 2 + ((k * 7919 + promptText.length) % 256000));
      }
      return {
        ...metrics,
        total_duration: totalNs,
        load_duration: loadNs,
        prompt_eval_count: promptTokens,
        prompt_eval_duration: promptEvalNs,
        eval_count: sent,
        eval_duration: evalNs,
      };
    };

    if (stream) res.writeHead(200, { "Content-Type": "application/x-ndjson" });
    const paced = await g.pace(Math.min(chunks.length, stopAfter), async (i) => {
      const chunk = chunks[i] ?? "";
      if (firstChunkAt === null) firstChunkAt = process.hrtime.bigint();
      sent += 1;
      text += chunk;
      if (stream) {
        const line: Record<string, unknown> = { ...base, created_at: createdAt(), ...piece(chunk), done: false };
        if (wantLogprobs) line.logprobs = logprobsFor(i);
        await g.write(`${JSON.stringify(line)}\n`);
      }
    });
    if (!paced) return;

    // afterChunks 0: no headers were sent yet (like Ollama, headers go out with the first chunk) → fetch fails.
    if (f2.kind === "dieMidStream") return g.dieAfterFlush();
    if (f2.kind === "errorLineMidStream") {
      g.killed = true;
      if (stream) {
        res.end(`${JSON.stringify({ error: f2.error })}\n`);
      } else {
        sendOllamaJson(res, 500, { error: f2.error });
      }
      return;
    }

    g.finished = true;
    const last = { ...base, created_at: createdAt(), ...piece(stream ? "" : text), ...finalChunk() };
    if (!stream && wantLogprobs) (last as Record<string, unknown>).logprobs = chunks.map((_, i) => logprobsFor(i)[0]);
    if (stream) res.end(`${JSON.stringify(last)}\n`);
    else sendOllamaJson(res, 200, last);
  }

  function handleControl(method: string, path: string, bodyText: string, res: http.ServerResponse) {
    const state = () => ({
      fault: faults.current,
      faultTimesLeft: faults.timesLeft,
      tokenDelayMs: tracker.tokenDelayMs,
      models,
      stats,
    });
    if (method === "GET" && (path === "/__control" || path === "/__control/state"))
      return sendOllamaJson(res, 200, state());
    if (method === "GET" && path === "/__control/stats") return sendOllamaJson(res, 200, stats);
    if (method === "GET" && path === "/__control/requests") return sendOllamaJson(res, 200, requests);
    if (method === "POST" && path === "/__control/reset") {
      api.reset();
      return sendOllamaJson(res, 200, state());
    }
    if (method === "POST" && path === "/__control") {
      const body = bodyText.trim() === "" ? {} : parseJsonBody(bodyText);
      // Validate everything before applying anything.
      const newFault = body.fault === undefined ? undefined : parseFault(body.fault);
      const times = body.faultTimes;
      if (times !== undefined && (typeof times !== "number" || !Number.isInteger(times) || times < 1))
        throw new HttpError(400, "faultTimes must be a positive integer");
      const delay = body.tokenDelayMs;
      if (delay !== undefined && (typeof delay !== "number" || !(delay >= 0)))
        throw new HttpError(400, "tokenDelayMs must be a number >= 0");
      const ms = body.models;
      if (ms !== undefined && (!Array.isArray(ms) || !ms.every((m) => typeof m === "string")))
        throw new HttpError(400, "models must be an array of strings");
      const downFor = body.goDownForMs;
      if (downFor !== undefined && (typeof downFor !== "number" || !(downFor > 0)))
        throw new HttpError(400, "goDownForMs must be a number > 0");
      if (newFault) api.setFault(newFault, typeof times === "number" ? { times } : undefined);
      if (typeof delay === "number") api.setTokenDelay(delay);
      if (Array.isArray(ms)) api.setModels(ms as string[]);
      if (body.reset === true) api.reset();
      sendOllamaJson(res, 200, state());
      if (typeof downFor === "number") {
        res.on("finish", () => {
          void api.goDown().then(() => {
            setTimeout(() => void api.comeUp().catch(() => {}), downFor);
          });
        });
      }
      return;
    }
    throw new HttpError(404, `no control route ${method} ${path}`);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const method = req.method ?? "GET";
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const head = method === "HEAD";
    let bodyText = "";
    try {
      bodyText = method === "GET" || head ? "" : await readBody(req, MAX_BODY);
      if (path === "/__control" || path.startsWith("/__control/")) return handleControl(method, path, bodyText, res);

      const isGet = method === "GET" || head;
      requests.push({ path, method, body: parseJsonOrText(bodyText) });

      if (isGet && path === "/") return sendText(res, 200, "Ollama is running", head);
      if (isGet && path === "/api/version") return sendOllamaJson(res, 200, { version }, head);
      if (isGet && path === "/api/tags") return sendOllamaJson(res, 200, { models: models.map(describeModel) }, head);
      if (isGet && path === "/api/ps") {
        const now = Date.now();
        const running = [...loaded.entries()]
          .filter(([name]) => findModel(name))
          .map(([name, at]) => {
            const info = describeModel(name);
            return {
              ...info,
              expires_at: new Date(Math.max(now, at) + 5 * 60_000).toISOString(),
              size_vram: info.size + 300 * 1024 * 1024,
              context_length: 4096,
            };
          });
        return sendOllamaJson(res, 200, { models: running }, head);
      }
      if (method === "POST" && path === "/api/show") {
        const b = parseJsonBody(bodyText);
        const name = typeof b.model === "string" && b.model !== "" ? b.model : typeof b.name === "string" ? b.name : "";
        if (name === "") throw new HttpError(400, "model is required");
        const known = findModel(name);
        if (!known) throw new HttpError(404, `model '${name}' not found`);
        return sendOllamaJson(res, 200, showModel(describeModel(known)));
      }
      if (method === "POST" && (path === "/api/generate" || path === "/api/chat")) {
        return await handleGenerate(path === "/api/generate" ? "generate" : "chat", parseJsonBody(bodyText), res);
      }
      return sendText(res, 404, "404 page not found", head);
    } catch (e) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const status =
        e instanceof HttpError ? e.status : e instanceof Error && path.startsWith("/__control") ? 400 : 500;
      sendOllamaJson(res, status, { error: e instanceof Error ? e.message : String(e) }, head);
    }
  }

  const server = await StandinServer.start((req, res) => void handle(req, res), {
    host: opts.host,
    port: opts.port,
    beforeClose: () => tracker.killAll(),
  });

  const api: OllamaStandin = {
    ...streamingPlumbing(server, tracker, requests, () => {
      faults.reset();
      api.setModels([...(opts.models ?? DEFAULT_MODELS)]);
    }),
    requests,
    setFault(f, o) {
      faults.set(parseFault(f), o?.times);
    },
    setModels(ms) {
      models = [...ms];
      for (const name of [...loaded.keys()]) if (!findModel(name)) loaded.delete(name);
    },
  };
  return api;
}
