/**
 * OpenAI-compatible stand-in: a small node:http server on 127.0.0.1 that speaks the subset of the OpenAI HTTP API
 * that vLLM's `vllm serve` exposes and lib/inference/openai.ts uses: POST /v1/completions and /v1/chat/completions
 * (server-sent events or one JSON body), GET /v1/models; plus vLLM's GET /health and /version. It is the test
 * double for vLLM (and any other OpenAI-compatible server) in unit tests.
 *
 * Replies: the recorded fine-tune / base-model reply when the prompt contains one of the 93 recorded inputs (the
 * same recordings the Ollama stand-in replays), else a deterministic made-up
 * `<analysis>…</analysis>\n<answer>\nB: …\n</answer>`, split into word-sized chunks, one chunk per "token".
 *
 * Wire facts it reproduces (vLLM 0.x, the OpenAI API):
 * - streaming answers `text/event-stream` headers at once, then `data: {json}\n\n` events and `data: [DONE]\n\n`;
 * - completions chunks carry `choices[0].text`, chat chunks `choices[0].delta.content` (the first chunk only the
 *   role); `finish_reason` ("stop" | "length") arrives on the last choice chunk; with
 *   `stream_options.include_usage` a final chunk with `choices: []` carries `usage`;
 * - `stream_options` without `stream: true` → 400; unknown model → 404 (body per `errorStyle`, see below);
 * - an error after streaming began is a `data: {"error": …}` event (status stays 200), followed by `data: [DONE]`;
 * - with `apiKey` set, every /v1 request without `Authorization: Bearer <key>` → 401 `{"error":"Unauthorized"}`.
 *
 * Error bodies (`errorStyle`): "vllm" (vLLM up to 0.9: `{"object":"error","message","type","param","code"}`),
 * "vllm-wrapped" (newer vLLM: `{"error":{"message","type","param","code"}}`), "openai" (OpenAI's own).
 * Faults apply to the two generation endpoints only, after request validation.
 */
import type http from "node:http";
import { recordingsFor, replyFor, splitIntoChunks } from "./recorded-replies";
import { FaultSwitch, HttpError, isRecord, parseJsonOrText, readBody, sendJson, StandinServer } from "./standin-core";
import { plantedLogprobs } from "./planted-logprobs";
import {
  ReplyTracker,
  streamingPlumbing,
  type ReplyStats,
  type StreamingStandin,
  type TrackedReply,
} from "./standin-replies";

export type OpenAiFault =
  | { kind: "none" }
  /** 500 before streaming (an engine failure), body per errorStyle */
  | { kind: "http500" }
  /** any pre-stream status with a JSON body as given (e.g. 503, 429, 400) */
  | { kind: "status"; status: number; body: unknown }
  /** 401 `{"error":"Unauthorized"}` as vLLM's --api-key middleware answers */
  | { kind: "unauthorized" }
  /** 404 "The model `x` does not exist." for whatever model was asked, body per errorStyle */
  | { kind: "modelNotFound" }
  /** headers and N chunks, then the socket is destroyed (no [DONE]); stream:false → destroyed before headers */
  | { kind: "dieMidStream"; afterChunks: number }
  /** N chunks, then `data: {"error": …}` and `data: [DONE]`; stream:false → 500 */
  | { kind: "errorEventMidStream"; afterChunks: number; message: string }
  /** accept the request and never answer (timeout tests) */
  | { kind: "hangBeforeHeaders" };

export type ErrorStyle = "vllm" | "vllm-wrapped" | "openai";

export type OpenAiStandinOptions = {
  /** 0 = random (default) */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
  /** served model ids; default DEFAULT_OPENAI_MODELS */
  models?: string[];
  /** delay before each streamed chunk (so also the time to first token); default 0 */
  tokenDelayMs?: number;
  /** require `Authorization: Bearer <apiKey>` on /v1 routes */
  apiKey?: string;
  /** error body dialect; default "vllm" */
  errorStyle?: ErrorStyle;
  /** default DEFAULT_RECORDINGS_PATH when it exists, else null (made-up replies only) */
  recordingsPath?: string | null;
};

export type OpenAiStandinStats = ReplyStats;

export type OpenAiStandinRequest = { path: string; method: string; authorization: string | null; body: unknown };

export type OpenAiStandin = StreamingStandin & {
  /** http://127.0.0.1:PORT/v1: what OPENAI_BASE_URL would be */
  baseUrl: string;
  /** Persistent until changed; `times` makes it apply to the next N generation requests only. */
  setFault(f: OpenAiFault, opts?: { times?: number }): void;
  setErrorStyle(style: ErrorStyle): void;
  /** requests seen (all paths), e.g. for asserting the endpoint, body and Authorization header */
  requests: OpenAiStandinRequest[];
};

export const DEFAULT_OPENAI_MODELS = ["mrizwank97/medgpt", "google/gemma-2-2b-it"] as const;
export const VLLM_VERSION = "0.11.0";

/** An error body in the given dialect. */
export function errorBody(
  style: ErrorStyle,
  status: number,
  message: string,
  type: string,
  openaiCode: string | null = null,
): unknown {
  if (style === "openai") {
    const openaiType = status >= 500 ? "server_error" : "invalid_request_error";
    return { error: { message, type: openaiType, param: null, code: openaiCode } };
  }
  if (style === "vllm-wrapped") return { error: { message, type, param: null, code: status } };
  return { object: "error", message, type, param: null, code: status };
}

const modelNotFoundBody = (style: ErrorStyle, model: string) =>
  style === "openai"
    ? errorBody(
        style,
        404,
        `The model \`${model}\` does not exist or you do not have access to it.`,
        "invalid_request_error",
        "model_not_found",
      )
    : errorBody(style, 404, `The model \`${model}\` does not exist.`, "NotFoundError");

const clampTop = (v: unknown) => (typeof v === "number" ? Math.max(0, Math.min(20, Math.trunc(v))) : 0);

export async function startOpenAiStandin(opts: OpenAiStandinOptions = {}): Promise<OpenAiStandin> {
  const recordings = recordingsFor(opts.recordingsPath);
  let models: string[] = [...(opts.models ?? DEFAULT_OPENAI_MODELS)];
  let errorStyle: ErrorStyle = opts.errorStyle ?? "vllm";
  const faults = new FaultSwitch<OpenAiFault>({ kind: "none" });
  const requests: OpenAiStandinRequest[] = [];
  const tracker = new ReplyTracker("openai stand-in");
  tracker.setTokenDelay(opts.tokenDelayMs ?? 0);
  let idCounter = 0;
  const created = Math.floor(Date.parse("2025-11-14T09:21:07Z") / 1000);

  const writeEvent = (g: TrackedReply, data: unknown) =>
    g.write(`data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`);

  async function handleGeneration(kind: "completions" | "chat", body: unknown, res: http.ServerResponse) {
    if (!isRecord(body))
      throw new HttpError(400, errorBody(errorStyle, 400, "Request body must be a JSON object", "BadRequestError"));
    const model = typeof body.model === "string" && body.model !== "" ? body.model : (models[0] ?? "");
    const stream = body.stream === true;
    const streamOptions = isRecord(body.stream_options) ? body.stream_options : null;
    if (streamOptions && !stream) {
      throw new HttpError(
        400,
        errorBody(errorStyle, 400, "Stream options can only be defined when `stream=True`.", "BadRequestError"),
      );
    }
    const includeUsage = streamOptions?.include_usage === true;

    let promptText: string;
    let keepLeadingModel = false;
    if (kind === "completions") {
      const prompt = Array.isArray(body.prompt) ? body.prompt[0] : body.prompt;
      if (typeof prompt !== "string")
        throw new HttpError(400, errorBody(errorStyle, 400, "prompt must be a string", "BadRequestError"));
      promptText = prompt;
      keepLeadingModel = promptText.trimEnd().endsWith("<start_of_turn>");
    } else {
      if (!Array.isArray(body.messages) || body.messages.length === 0) {
        throw new HttpError(400, errorBody(errorStyle, 400, "messages must be a non-empty array", "BadRequestError"));
      }
      const list = body.messages.filter(isRecord);
      const contentOf = (m: Record<string, unknown>) => (typeof m.content === "string" ? m.content : "");
      const lastUser = [...list].reverse().find((m) => m.role === "user");
      promptText = lastUser ? contentOf(lastUser) : list.map(contentOf).join("\n");
    }
    if (!models.includes(model)) throw new HttpError(404, modelNotFoundBody(errorStyle, model));

    const f = faults.take();
    if (f.kind === "http500")
      throw new HttpError(
        500,
        errorBody(
          errorStyle,
          500,
          "EngineCore encountered an issue. See stack trace (above) for the root cause.",
          "InternalServerError",
        ),
      );
    if (f.kind === "status") throw new HttpError(f.status, f.body);
    if (f.kind === "unauthorized") throw new HttpError(401, { error: "Unauthorized" });
    if (f.kind === "modelNotFound") throw new HttpError(404, modelNotFoundBody(errorStyle, model));

    const g = tracker.track(res);
    if (f.kind === "hangBeforeHeaders") return;
    if (f.kind === "dieMidStream" && !stream) {
      g.killed = true;
      res.socket?.destroy();
      return;
    }

    let reply = replyFor(recordings, model, promptText, keepLeadingModel);
    let finishReason: "stop" | "length" = "stop";
    let stopReason: string | null = null;
    const stops = (Array.isArray(body.stop) ? body.stop : typeof body.stop === "string" ? [body.stop] : []).filter(
      (s): s is string => typeof s === "string" && s !== "",
    );
    for (const s of stops) {
      const i = reply.indexOf(s);
      if (i >= 0 && (stopReason === null || i < reply.indexOf(stopReason))) stopReason = s;
    }
    if (stopReason !== null) reply = reply.slice(0, reply.indexOf(stopReason));
    let chunks = splitIntoChunks(reply);
    const maxTokens = typeof body.max_tokens === "number" ? Math.trunc(body.max_tokens) : Infinity;
    if (chunks.length >= maxTokens) {
      chunks = chunks.slice(0, Math.max(0, maxTokens));
      finishReason = "length";
      stopReason = null;
    }

    idCounter += 1;
    const id = `${kind === "chat" ? "chatcmpl" : "cmpl"}-${idCounter.toString(16).padStart(32, "0")}`;
    const object = kind === "chat" ? "chat.completion.chunk" : "text_completion";
    const promptTokens = Math.max(1, Math.round(promptText.length / 4));
    const usage = (n: number) => ({
      prompt_tokens: promptTokens,
      total_tokens: promptTokens + n,
      completion_tokens: n,
    });
    const stopAfter = f.kind === "dieMidStream" || f.kind === "errorEventMidStream" ? f.afterChunks : Infinity;
    // Asked as vLLM and OpenAI take it: completions `logprobs: k` (0 = the sampled token only); chat `logprobs: true`
    // with `top_logprobs: k`. Not asked → `logprobs: null`, as today.
    const topN =
      kind === "chat"
        ? body.logprobs === true
          ? clampTop(body.top_logprobs)
          : null
        : typeof body.logprobs === "number"
          ? clampTop(body.logprobs)
          : null;
    const planted = topN === null ? [] : plantedLogprobs(chunks, topN);
    const logprobsOf = (from: number, to: number) => {
      if (topN === null) return null;
      const slice = planted.slice(from, to);
      if (kind === "chat") {
        const bytes = (t: string) => [...Buffer.from(t, "utf8")];
        return {
          content: slice.map((p) => ({
            token: p.token,
            logprob: p.logprob,
            bytes: bytes(p.token),
            top_logprobs: p.top.map((t) => ({ ...t, bytes: bytes(t.token) })),
          })),
        };
      }
      let offset = chunks.slice(0, from).join("").length;
      return {
        text_offset: slice.map((p) => {
          const at = offset;
          offset += p.token.length;
          return at;
        }),
        token_logprobs: slice.map((p) => p.logprob),
        tokens: slice.map((p) => p.token),
        top_logprobs: slice.map((p) => Object.fromEntries(p.top.map((t) => [t.token, t.logprob]))),
      };
    };

    if (!stream) {
      if (!(await g.pace(Math.min(chunks.length, stopAfter), () => {}))) return;
      if (f.kind === "errorEventMidStream") {
        g.killed = true;
        return sendJson(res, 500, errorBody(errorStyle, 500, f.message, "InternalServerError"));
      }
      const text = chunks.join("");
      const choice =
        kind === "chat"
          ? {
              index: 0,
              message: { role: "assistant", content: text },
              logprobs: logprobsOf(0, chunks.length),
              finish_reason: finishReason,
              stop_reason: stopReason,
            }
          : {
              index: 0,
              text,
              logprobs: logprobsOf(0, chunks.length),
              finish_reason: finishReason,
              stop_reason: stopReason,
            };
      g.finished = true;
      return sendJson(res, 200, {
        id,
        object: kind === "chat" ? "chat.completion" : "text_completion",
        created,
        model,
        choices: [choice],
        usage: usage(chunks.length),
      });
    }

    res.writeHead(200, { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache" });
    res.flushHeaders();
    const event = (choice: Record<string, unknown>) => ({
      id,
      object,
      created,
      model,
      choices: [{ index: 0, ...choice }],
      ...(includeUsage && { usage: null }),
    });
    if (kind === "chat") {
      await writeEvent(g, event({ delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null }));
      if (!g.alive) return;
    }
    const sent = Math.min(chunks.length, stopAfter);
    const paced = await g.pace(sent, async (i) => {
      const piece = chunks[i] ?? "";
      // vLLM puts finish_reason on the completions chunk that carries the last text; chat gets its own final chunk.
      const last = kind === "completions" && i === chunks.length - 1 && stopAfter === Infinity;
      await writeEvent(
        g,
        kind === "chat"
          ? event({ delta: { content: piece }, logprobs: logprobsOf(i, i + 1), finish_reason: null })
          : event({
              text: piece,
              logprobs: logprobsOf(i, i + 1),
              finish_reason: last ? finishReason : null,
              stop_reason: last ? stopReason : null,
            }),
      );
    });
    if (!paced) return;

    if (f.kind === "dieMidStream") return g.dieAfterFlush();
    if (f.kind === "errorEventMidStream") {
      g.killed = true;
      const err = errorBody(errorStyle, 500, f.message, "InternalServerError");
      // Newer vLLM wraps in {"error": …}; the legacy dialect sends the error object itself.
      await writeEvent(g, err);
      res.end("data: [DONE]\n\n");
      return;
    }
    if (kind === "chat" || chunks.length === 0) {
      await writeEvent(
        g,
        kind === "chat"
          ? event({ delta: {}, logprobs: null, finish_reason: finishReason, stop_reason: stopReason })
          : event({ text: "", logprobs: null, finish_reason: finishReason, stop_reason: stopReason }),
      );
      if (!g.alive) return;
    }
    if (includeUsage) {
      await writeEvent(g, { id, object, created, model, choices: [], usage: usage(sent) });
      if (!g.alive) return;
    }
    g.finished = true;
    res.end("data: [DONE]\n\n");
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const method = req.method ?? "GET";
    const path = new URL(req.url ?? "/", "http://x").pathname;
    try {
      const body = parseJsonOrText(method === "GET" || method === "HEAD" ? "" : await readBody(req));
      const authorization = req.headers.authorization ?? null;
      requests.push({ path, method, authorization, body });

      if (path === "/health" && method === "GET") {
        res.writeHead(200, { "Content-Length": 0 });
        return res.end();
      }
      if (path === "/version" && method === "GET") return sendJson(res, 200, { version: VLLM_VERSION });
      const routes = ["/v1/models", "/v1/completions", "/v1/chat/completions"];
      if (!routes.includes(path)) return sendJson(res, 404, { detail: "Not Found" });
      if (opts.apiKey !== undefined && authorization !== `Bearer ${opts.apiKey}`)
        return sendJson(res, 401, { error: "Unauthorized" });
      if (path === "/v1/models") {
        if (method !== "GET") return sendJson(res, 405, { detail: "Method Not Allowed" });
        return sendJson(res, 200, {
          object: "list",
          data: models.map((id) => ({
            id,
            object: "model",
            created,
            owned_by: "vllm",
            root: id,
            parent: null,
            max_model_len: 8192,
          })),
        });
      }
      if (method !== "POST") return sendJson(res, 405, { detail: "Method Not Allowed" });
      if (typeof body === "string")
        throw new HttpError(400, errorBody(errorStyle, 400, "Invalid JSON body", "BadRequestError"));
      return await handleGeneration(path === "/v1/completions" ? "completions" : "chat", body, res);
    } catch (e) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (e instanceof HttpError) return sendJson(res, e.status, e.body);
      sendJson(res, 500, errorBody(errorStyle, 500, e instanceof Error ? e.message : String(e), "InternalServerError"));
    }
  }

  const server = await StandinServer.start((req, res) => void handle(req, res), {
    host: opts.host,
    port: opts.port,
    beforeClose: () => tracker.killAll(),
  });

  return {
    ...streamingPlumbing(server, tracker, requests, () => {
      faults.reset();
      models = [...(opts.models ?? DEFAULT_OPENAI_MODELS)];
      errorStyle = opts.errorStyle ?? "vllm";
    }),
    baseUrl: `${server.url}/v1`,
    requests,
    setFault(f, o) {
      faults.set(f, o?.times);
    },
    setModels(ms) {
      models = [...ms];
    },
    setErrorStyle(style) {
      errorStyle = style;
    },
  };
}
