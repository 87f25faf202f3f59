/**
 * Ollama stand-in: a small node:http server on 127.0.0.1 that speaks the subset of Ollama's HTTP API the
 * official `ollama` npm client (0.6.4) uses, replaying the real recorded model replies from
 * ../shared/data/recorded-responses-test93.jsonl. It is the project's test double for Ollama (unit, route and
 * Playwright e2e tests, benchmarks).
 *
 * Wire facts it reproduces (see ../shared/notes/integrations.md):
 * - generate/chat stream NDJSON (`application/x-ndjson`) unless `stream:false`; headers go out with the first chunk;
 * - final chunk `done:true` with done_reason and nanosecond metrics; non-raw generate also carries `context`;
 * - errors before output are HTTP errors with a JSON `{"error"}` body; after output, an `{"error"}` line with status 200;
 * - unknown model → 404 `model 'x' not found` (x echoed as sent); a name matches with or without `:latest`.
 *
 * Faults are switched with `setFault` in-process, or with `POST /__control` from another process (see the CLI,
 * test-support/ollama-standin-cli.ts). Faults apply to /api/generate and /api/chat only, after request validation.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { sharedPath } from "./shared-data";

export type OllamaFault =
  | { kind: "none" }
  /** generate/chat answer 500 {"error":"..."} before streaming */
  | { kind: "http500" }
  /** arbitrary pre-stream status (e.g. 503 server busy, 400) */
  | { kind: "status"; status: number; error: string }
  /**
   * destroy the socket after N chunks (no done). With N = 0, or stream:false, no headers were sent yet, so the
   * client's fetch itself fails (TypeError fetch failed, cause UND_ERR_SOCKET); otherwise its iteration throws.
   */
  | { kind: "dieMidStream"; afterChunks: number }
  /** emit {"error":"..."} line after N chunks, status stays 200; with stream:false → 500 {"error"} like Ollama */
  | { kind: "errorLineMidStream"; afterChunks: number; error: string }
  /** accept request and never respond (for timeout tests) */
  | { kind: "hangBeforeHeaders" };

export type StandinOptions = {
  /** 0 = random (default) */
  port?: number;
  /** bind address; default 127.0.0.1 */
  host?: string;
  /** models "pulled"; default ["mrizwank97/medgpt:latest", "gemma2:2b"] */
  models?: string[];
  /** delay before each streamed chunk (so also time to first token); default 0 */
  tokenDelayMs?: number;
  /** default sharedPath("data","recorded-responses-test93.jsonl") when it exists, else null (made-up replies) */
  recordingsPath?: string | null;
};

export type StandinStats = { aborted: number; completed: number; active: number };

export type StandinRequest = { path: string; method: string; body: unknown };

export type OllamaStandin = {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  /** Persistent until changed; `times` makes it apply to the next N generate/chat requests only, then "none". */
  setFault(f: OllamaFault, opts?: { times?: number }): void;
  setTokenDelay(ms: number): void;
  setModels(models: string[]): void;
  /** requests seen (all /api/* and unknown paths; not /__control), e.g. for asserting raw:true, options, prompt */
  requests: StandinRequest[];
  /**
   * generate/chat counters. aborted: the client disconnected before the reply was complete (stream or not,
   * including hung requests); completed: reply fully sent; active: in flight.
   */
  stats: StandinStats;
  /**
   * Resolves once an abort has been seen that no earlier waitForAbort call consumed, so
   * `it.abort(); await standin.waitForAbort()` works whichever happens first. Rejects after timeoutMs (default 5000).
   */
  waitForAbort(timeoutMs?: number): Promise<void>;
  /** Clears requests, zeroes aborted/completed and the waitForAbort bookkeeping. */
  reset(): void;
  /** closes server and all sockets */
  stop(): Promise<void>;
  /** "refuse connections": close the listener and every open socket; comeUp() reopens on the same port */
  goDown(): Promise<void>;
  comeUp(): Promise<void>;
};

export const STANDIN_VERSION = "0.12.11";
export const DEFAULT_MODELS = ["mrizwank97/medgpt:latest", "gemma2:2b"] as const;
export const DEFAULT_RECORDINGS_PATH = sharedPath("data", "recorded-responses-test93.jsonl");

// ---------------------------------------------------------------------------------------------------------------
// Recordings

export type RecordedCase = {
  index: number;
  inputSha256_16: string;
  /** the dataset row's `input`, recovered from the recorded prompt and checked against input_sha256_16 */
  input: string;
  /** raw recorded replies (begin with "model" for the fine-tune) */
  medgpt: string | null;
  base: string | null;
};

export type Recordings = { cases: RecordedCase[]; byHash: Map<string, RecordedCase> };

const recordingsCache = new Map<string, Recordings>();

export const sha256_16 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex").slice(0, 16);

const INPUT_START = "here are the inputs ";
const INPUT_END = " <end_of_turn>";

/** Loads (and caches) recorded-responses-test93.jsonl. Throws on a missing file or malformed line. */
export function loadRecordings(file: string): Recordings {
  const cached = recordingsCache.get(file);
  if (cached) return cached;
  const byIndex = new Map<number, RecordedCase>();
  const lines = readFileSync(file, "utf8").split("\n");
  for (const [lineNo, line] of lines.entries()) {
    if (line.trim() === "") continue;
    const rec = JSON.parse(line) as Record<string, unknown>;
    const { index, input_sha256_16: hash, model, prompt, response } = rec;
    if (typeof index !== "number" || typeof hash !== "string" || typeof model !== "string" || typeof prompt !== "string" || typeof response !== "string") {
      throw new Error(`${file}:${lineNo + 1}: unexpected record shape`);
    }
    const start = prompt.indexOf(INPUT_START);
    const end = prompt.lastIndexOf(INPUT_END);
    if (start < 0 || end < start) throw new Error(`${file}:${lineNo + 1}: cannot find the input in the prompt`);
    const input = prompt.slice(start + INPUT_START.length, end);
    if (sha256_16(input) !== hash) throw new Error(`${file}:${lineNo + 1}: input does not match input_sha256_16`);
    let c = byIndex.get(index);
    if (!c) {
      c = { index, inputSha256_16: hash, input, medgpt: null, base: null };
      byIndex.set(index, c);
    }
    if (model.toLowerCase().includes("medgpt")) c.medgpt = response;
    else if (model.startsWith("gemma-2-2b")) c.base = response;
  }
  const cases = [...byIndex.values()].sort((a, b) => a.index - b.index);
  const result: Recordings = { cases, byHash: new Map(cases.map((c) => [c.inputSha256_16, c])) };
  recordingsCache.set(file, result);
  return result;
}

/** The recorded case whose input occurs verbatim in `text` (prompt or chat message), if any. */
export function findCase(recs: Recordings | null, text: string): RecordedCase | null {
  if (!recs) return null;
  const q = text.indexOf("Q:");
  const end = text.lastIndexOf("},");
  if (q >= 0 && end > q) {
    const hit = recs.byHash.get(sha256_16(text.slice(q, end + 2)));
    if (hit) return hit;
  }
  return recs.cases.find((c) => text.includes(c.input)) ?? null;
}

// ---------------------------------------------------------------------------------------------------------------
// Replies

/** Options of a Python-dict options literal {'A': '...', 'B': "...", ...} found in text. */
export function parseOptions(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /'([A-E])'\s*:\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")/g;
  for (const m of text.matchAll(re)) {
    const letter = m[1];
    const value = m[2] ?? m[3];
    if (letter && value !== undefined && !out.has(letter)) out.set(letter, value.trim());
  }
  return out;
}

/** Deterministic, well-formed reply for prompts that are not one of the 93 recorded cases. */
export function madeUpReply(text: string): string {
  const q = text.indexOf("Q:");
  let caseText = "";
  if (q >= 0) {
    const brace = text.indexOf("{", q);
    caseText = text.slice(q + 2, brace > q ? brace : undefined);
  } else {
    caseText = text;
  }
  caseText = caseText.replace(/<\/?(start_of_turn|end_of_turn)>/g, " ").replace(/\s+/g, " ").trim();
  const summary = caseText.length > 160 ? `${caseText.slice(0, 160).replace(/\s+\S*$/, "")}…` : caseText;
  const optionB = parseOptions(text).get("B");
  const answer = optionB ? `B: ${optionB}` : "B";
  const about = summary ? `The case describes: ${summary}` : "No clinical case was given.";
  return (
    `<analysis>\n${about}\n` +
    `Weighing the key findings against each option, option B${optionB ? ` (${optionB})` : ""} best fits the presentation; ` +
    `the other options do not explain the findings as well.\n</analysis>\n<answer>\n${answer}\n</answer>`
  );
}

/** Token-like chunks: words with their trailing whitespace, or leading whitespace runs. */
export function splitIntoChunks(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

const isMedgpt = (model: string) => model.toLowerCase().includes("medgpt");

/**
 * The reply text for a request: the recorded reply (fine-tune for names containing "medgpt", base model otherwise)
 * when the text contains one of the 93 inputs, else a made-up one. The recorded replies begin with "model"
 * because the recorded prompt ended in "<start_of_turn>"; that word is kept only when this prompt also ends so.
 */
export function replyFor(recs: Recordings | null, model: string, text: string, keepLeadingModel: boolean): string {
  const c = findCase(recs, text);
  const recorded = c ? (isMedgpt(model) ? c.medgpt : c.base) : null;
  if (recorded === null) return madeUpReply(text);
  if (!keepLeadingModel && recorded.startsWith("model")) return recorded.slice("model".length);
  return recorded;
}

// ---------------------------------------------------------------------------------------------------------------
// Models

const withTag = (name: string) => (name.includes(":") && !name.endsWith(":") ? name : `${name.replace(/:$/, "")}:latest`);

type ModelInfo = {
  name: string;
  model: string;
  modified_at: string;
  size: number;
  digest: string;
  details: {
    parent_model: string;
    format: string;
    family: string;
    families: string[];
    parameter_size: string;
    quantization_level: string;
  };
};

function describeModel(name: string): ModelInfo {
  const full = withTag(name);
  const lower = full.toLowerCase();
  let family = "llama";
  for (const f of ["gemma3", "gemma2", "gemma", "qwen3", "qwen2", "qwen", "mistral", "phi3", "phi", "llama"]) {
    if (lower.includes(f)) {
      family = f;
      break;
    }
  }
  let parameter_size = "7B";
  let quantization_level = "Q4_K_M";
  let size = 0;
  let digest = createHash("sha256").update(full).digest("hex");
  if (lower.includes("medgpt")) {
    // mrizwank97/medgpt: a gemma-2-2b fine-tune
    family = "gemma2";
    parameter_size = "2.6B";
    size = 1_708_583_232;
  } else if (lower === "gemma2:2b") {
    parameter_size = "2.6B";
    quantization_level = "Q4_0";
    size = 1_629_518_495;
    digest = "8ccf136fdd5298f3ffe2d69862750ea7fb56555fa4d5b18c04e3fa4d82ee09d7";
  } else {
    const m = /[:\-_](\d+(?:\.\d+)?)([bm])\b/.exec(lower);
    if (m?.[1] && m[2]) parameter_size = `${m[1]}${m[2].toUpperCase()}`;
  }
  if (size === 0) {
    const n = Number.parseFloat(parameter_size) * (parameter_size.endsWith("M") ? 1e6 : 1e9);
    size = Math.round((n * 4.85) / 8) + 1024 * 1024;
  }
  return {
    name: full,
    model: full,
    modified_at: "2025-11-14T09:21:07.512345678Z",
    size,
    digest,
    details: { parent_model: "", format: "gguf", family, families: [family], parameter_size, quantization_level },
  };
}

const GEMMA_TEMPLATE =
  "<start_of_turn>user\n{{ if .System }}{{ .System }} {{ end }}{{ .Prompt }}<end_of_turn>\n<start_of_turn>model\n{{ .Response }}<end_of_turn>\n";

function showModel(info: ModelInfo) {
  const gemma = info.details.family.startsWith("gemma");
  const paramCount = Math.round(Number.parseFloat(info.details.parameter_size) * 1e9);
  return {
    license: gemma ? "Gemma Terms of Use\n\nLast modified: February 21, 2024\n..." : "",
    modelfile: `# Modelfile generated by "ollama show"\nFROM /root/.ollama/models/blobs/sha256-${info.digest}\nTEMPLATE """${gemma ? GEMMA_TEMPLATE : "{{ .Prompt }}"}"""\n${gemma ? 'PARAMETER stop <start_of_turn>\nPARAMETER stop <end_of_turn>\n' : ""}`,
    parameters: gemma ? 'stop                           "<start_of_turn>"\nstop                           "<end_of_turn>"' : "",
    template: gemma ? GEMMA_TEMPLATE : "{{ .Prompt }}",
    details: info.details,
    model_info: {
      "general.architecture": info.details.family,
      "general.file_type": info.details.quantization_level === "Q4_0" ? 2 : 15,
      "general.parameter_count": paramCount,
      "general.quantization_version": 2,
      [`${info.details.family}.context_length`]: 8192,
      [`${info.details.family}.embedding_length`]: 2304,
      [`${info.details.family}.block_count`]: 26,
      "tokenizer.ggml.model": "llama",
    },
    capabilities: ["completion"],
    modified_at: info.modified_at,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Faults

const FAULT_KINDS = ["none", "http500", "status", "dieMidStream", "errorLineMidStream", "hangBeforeHeaders"] as const;

/** Validates an untrusted fault (control endpoint, CLI). Throws on a malformed one. */
export function parseFault(x: unknown): OllamaFault {
  if (typeof x === "string") x = { kind: x };
  if (typeof x !== "object" || x === null) throw new Error("fault must be an object with a kind");
  const f = x as Record<string, unknown>;
  const kind = f.kind;
  const int = (k: string) => {
    const v = f[k];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0) throw new Error(`fault.${k} must be a non-negative integer`);
    return v;
  };
  const str = (k: string) => {
    const v = f[k];
    if (typeof v !== "string") throw new Error(`fault.${k} must be a string`);
    return v;
  };
  switch (kind) {
    case "none":
    case "http500":
    case "hangBeforeHeaders":
      return { kind };
    case "status": {
      const status = int("status");
      if (status < 400 || status > 599) throw new Error("fault.status must be 400..599");
      return { kind, status, error: str("error") };
    }
    case "dieMidStream":
      return { kind, afterChunks: int("afterChunks") };
    case "errorLineMidStream":
      return { kind, afterChunks: int("afterChunks"), error: str("error") };
    default:
      throw new Error(`fault.kind must be one of ${FAULT_KINDS.join(", ")}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Server

const MS = 1_000_000; // ns per ms
const JSON_TYPE = "application/json; charset=utf-8";
const MAX_BODY = 32 * 1024 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Generation = {
  res: http.ServerResponse;
  finished: boolean;
  /** killed by the stand-in (fault, goDown, stop): not a client abort */
  killed: boolean;
  timer: { cancel(): void } | null;
  /** resolves when the response closes (client gone, killed, or ended) */
  closed: Promise<void>;
};

function sendJson(res: http.ServerResponse, status: number, body: unknown, head = false) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": JSON_TYPE, "Content-Length": Buffer.byteLength(text) });
  res.end(head ? undefined : text);
}

function sendText(res: http.ServerResponse, status: number, text: string, head = false) {
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", "Content-Length": Buffer.byteLength(text) });
  res.end(head ? undefined : text);
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on("data", (b: Buffer) => {
      size += b.length;
      if (size > MAX_BODY) {
        reject(new HttpError(413, "request body too large"));
        req.destroy();
        return;
      }
      parts.push(b);
    });
    req.on("end", () => resolve(Buffer.concat(parts).toString("utf8")));
    req.on("error", reject);
  });
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

export async function startOllamaStandin(opts: StandinOptions = {}): Promise<OllamaStandin> {
  const host = opts.host ?? "127.0.0.1";
  const recordingsPath =
    opts.recordingsPath === undefined ? (existsSync(DEFAULT_RECORDINGS_PATH) ? DEFAULT_RECORDINGS_PATH : null) : opts.recordingsPath;
  const recordings = recordingsPath ? loadRecordings(recordingsPath) : null;

  let models: string[] = [...(opts.models ?? DEFAULT_MODELS)];
  let tokenDelayMs = Math.max(0, opts.tokenDelayMs ?? 0);
  let fault: OllamaFault = { kind: "none" };
  let faultTimesLeft: number | null = null;
  const loaded = new Map<string, number>(); // full model name → loaded-at ms
  const requests: StandinRequest[] = [];
  const stats: StandinStats = { aborted: 0, completed: 0, active: 0 };
  let abortsConsumed = 0;
  const abortWaiters = new Set<() => void>();
  const generations = new Set<Generation>();
  const sockets = new Set<Socket>();
  const hung = new Set<http.ServerResponse>();

  const findModel = (name: string) => {
    const want = withTag(name);
    return models.find((m) => withTag(m) === want) ?? null;
  };

  const notifyAbort = () => {
    for (const w of [...abortWaiters]) w();
  };

  const takeFault = (): OllamaFault => {
    const f = fault;
    if (f.kind !== "none" && faultTimesLeft !== null) {
      faultTimesLeft -= 1;
      if (faultTimesLeft <= 0) {
        fault = { kind: "none" };
        faultTimesLeft = null;
      }
    }
    return f;
  };

  /** Tracks one generate/chat response: counts active/aborted/completed exactly once. */
  const track = (res: http.ServerResponse): Generation => {
    let onClose: () => void = () => {};
    const closed = new Promise<void>((resolve) => (onClose = resolve));
    const g: Generation = { res, finished: false, killed: false, timer: null, closed };
    generations.add(g);
    stats.active += 1;
    res.on("close", () => {
      generations.delete(g);
      stats.active -= 1;
      g.timer?.cancel();
      g.timer = null;
      onClose();
      hung.delete(res);
      if (g.finished) stats.completed += 1;
      else if (!g.killed) {
        stats.aborted += 1;
        notifyAbort();
      }
    });
    return g;
  };

  /** Waits tokenDelayMs (or one event-loop turn), or until the response closes. */
  const pause = (g: Generation) =>
    Promise.race([
      g.closed,
      new Promise<void>((resolve) => {
        if (tokenDelayMs > 0) {
          const t = setTimeout(resolve, tokenDelayMs);
          g.timer = { cancel: () => clearTimeout(t) };
        } else {
          const t = setImmediate(resolve);
          g.timer = { cancel: () => clearImmediate(t) };
        }
      }),
    ]);

  const alive = (g: Generation) => !g.res.destroyed && !g.killed && g.res.socket !== null;

  /** Writes one NDJSON line; resolves once it is flushed to the socket (backpressure) or the response closed. */
  const write = (g: Generation, obj: unknown) =>
    Promise.race([g.closed, new Promise<void>((resolve) => g.res.write(`${JSON.stringify(obj)}\n`, () => resolve()))]);

  async function handleGenerate(kind: "generate" | "chat", body: Record<string, unknown>, res: http.ServerResponse) {
    const model = body.model;
    if (typeof model !== "string" || model === "") throw new HttpError(400, "model is required");
    const stream = body.stream !== false;
    let promptText: string;
    let keepLeadingModel = false;
    let isLoadOnly = false;
    if (kind === "generate") {
      if (body.raw === true && ((typeof body.template === "string" && body.template !== "") || (typeof body.system === "string" && body.system !== "") || (Array.isArray(body.context) && body.context.length > 0))) {
        throw new HttpError(400, "raw mode does not support template, system, or context");
      }
      if (body.prompt !== undefined && typeof body.prompt !== "string") throw new HttpError(400, "json: cannot unmarshal prompt into Go struct field GenerateRequest.prompt of type string");
      promptText = typeof body.prompt === "string" ? body.prompt : "";
      keepLeadingModel = promptText.trimEnd().endsWith("<start_of_turn>");
      isLoadOnly = promptText === "" && !(Array.isArray(body.images) && body.images.length > 0);
    } else {
      const messages = body.messages;
      if (messages !== undefined && messages !== null && !Array.isArray(messages)) throw new HttpError(400, "json: cannot unmarshal messages into Go struct field ChatRequest.messages of type []api.Message");
      const list = (Array.isArray(messages) ? messages : []).filter(isRecord);
      const contentOf = (m: Record<string, unknown>) => (typeof m.content === "string" ? m.content : "");
      const lastUser = [...list].reverse().find((m) => m.role === "user");
      promptText = lastUser ? contentOf(lastUser) : list.map(contentOf).join("\n");
      isLoadOnly = list.length === 0;
    }
    const known = findModel(model);
    if (!known) throw new HttpError(404, `model '${model}' not found`);

    const f = takeFault();
    if (f.kind === "http500") throw new HttpError(500, "llama runner process has terminated: exit status 2");
    if (f.kind === "status") throw new HttpError(f.status, f.error);

    const g = track(res);
    if (f.kind === "hangBeforeHeaders") {
      hung.add(res);
      return;
    }

    const full = withTag(known);
    const wasLoaded = loaded.has(full);
    loaded.set(full, Date.now());
    const started = process.hrtime.bigint();
    const createdAt = () => new Date().toISOString();
    const promptTokens = Math.max(1, Math.round(promptText.length / 4));
    const loadNs = wasLoaded ? 12 * MS + (promptText.length % 7) * MS : 1_450 * MS;
    const base = { model }; // Ollama echoes the model name as sent
    const piece = (text: string) => (kind === "generate" ? { response: text } : { message: { role: "assistant", content: text } });

    if (isLoadOnly) {
      // Ollama answers an empty prompt / no messages with a single "load" response.
      g.finished = true;
      const done = { ...base, created_at: createdAt(), ...piece(""), done: true, done_reason: "load" };
      if (stream) {
        res.writeHead(200, { "Content-Type": "application/x-ndjson" });
        res.end(`${JSON.stringify(done)}\n`);
      } else sendJson(res, 200, done);
      return;
    }

    let reply = replyFor(recordings, model, promptText, keepLeadingModel);
    let doneReason: "stop" | "length" = "stop";
    const options = isRecord(body.options) ? body.options : {};
    const stops = (Array.isArray(options.stop) ? options.stop : typeof options.stop === "string" ? [options.stop] : []).filter((s): s is string => typeof s === "string" && s !== "");
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
    const wantLogprobs = body.logprobs === true;
    const topN = typeof body.top_logprobs === "number" ? Math.max(0, Math.min(20, Math.trunc(body.top_logprobs))) : 0;
    const answerAt = chunks.findIndex((c, i) => i > 0 && /^[A-E]\b/.test(c) && /<answer>\s*$/.test(chunks[i - 1] ?? ""));
    const logprobsFor = (i: number) => {
      const token = chunks[i] ?? "";
      const isAnswer = i === answerAt;
      const own = isAnswer ? -0.22 : -0.04 - (i % 5) * 0.01;
      const entry: Record<string, unknown> = { token, logprob: own };
      if (topN > 0) {
        const alts = isAnswer ? ["A", "B", "C", "D", "E"].filter((l) => l !== token[0]).map((l) => token.replace(/^[A-E]/, l)) : [" the", " a", ",", "."];
        entry.top_logprobs = [{ token, logprob: own }, ...alts.map((t, k) => ({ token: t, logprob: Number((own - 1.6 - k * 0.9).toFixed(4)) }))].slice(0, topN);
      }
      return [entry];
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
    for (let i = 0; i < chunks.length; i++) {
      if (sent >= stopAfter) break;
      await pause(g);
      g.timer = null;
      if (!alive(g)) return;
      const chunk = chunks[i] ?? "";
      if (firstChunkAt === null) firstChunkAt = process.hrtime.bigint();
      sent += 1;
      text += chunk;
      if (stream) {
        const line: Record<string, unknown> = { ...base, created_at: createdAt(), ...piece(chunk), done: false };
        if (wantLogprobs) line.logprobs = logprobsFor(i);
        await write(g, line);
        if (!alive(g)) return;
      }
    }

    if (f2.kind === "dieMidStream") {
      g.killed = true;
      // afterChunks 0: no headers were sent yet (like Ollama, headers go out with the first chunk) → fetch fails.
      // Let what was written reach the client, then cut the connection without the terminating chunk.
      setImmediate(() => res.socket?.destroy());
      return;
    }
    if (f2.kind === "errorLineMidStream") {
      g.killed = true;
      if (stream) {
        res.end(`${JSON.stringify({ error: f2.error })}\n`);
      } else {
        sendJson(res, 500, { error: f2.error });
      }
      return;
    }

    g.finished = true;
    const last = { ...base, created_at: createdAt(), ...piece(stream ? "" : text), ...finalChunk() };
    if (!stream && wantLogprobs) (last as Record<string, unknown>).logprobs = chunks.map((_, i) => logprobsFor(i)[0]);
    if (stream) res.end(`${JSON.stringify(last)}\n`);
    else sendJson(res, 200, last);
  }

  function handleControl(method: string, path: string, bodyText: string, res: http.ServerResponse) {
    const state = () => ({ fault, faultTimesLeft, tokenDelayMs, models, stats });
    if (method === "GET" && (path === "/__control" || path === "/__control/state")) return sendJson(res, 200, state());
    if (method === "GET" && path === "/__control/stats") return sendJson(res, 200, stats);
    if (method === "GET" && path === "/__control/requests") return sendJson(res, 200, requests);
    if (method === "POST" && path === "/__control/reset") {
      api.reset();
      return sendJson(res, 200, state());
    }
    if (method === "POST" && path === "/__control") {
      const body = bodyText.trim() === "" ? {} : parseJsonBody(bodyText);
      // Validate everything before applying anything.
      const newFault = body.fault === undefined ? undefined : parseFault(body.fault);
      const times = body.faultTimes;
      if (times !== undefined && (typeof times !== "number" || !Number.isInteger(times) || times < 1)) throw new HttpError(400, "faultTimes must be a positive integer");
      const delay = body.tokenDelayMs;
      if (delay !== undefined && (typeof delay !== "number" || !(delay >= 0))) throw new HttpError(400, "tokenDelayMs must be a number >= 0");
      const ms = body.models;
      if (ms !== undefined && (!Array.isArray(ms) || !ms.every((m) => typeof m === "string"))) throw new HttpError(400, "models must be an array of strings");
      const downFor = body.goDownForMs;
      if (downFor !== undefined && (typeof downFor !== "number" || !(downFor > 0))) throw new HttpError(400, "goDownForMs must be a number > 0");
      if (newFault) api.setFault(newFault, typeof times === "number" ? { times } : undefined);
      if (typeof delay === "number") api.setTokenDelay(delay);
      if (Array.isArray(ms)) api.setModels(ms as string[]);
      if (body.reset === true) api.reset();
      sendJson(res, 200, state());
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
      bodyText = method === "GET" || head ? "" : await readBody(req);
      if (path === "/__control" || path.startsWith("/__control/")) return handleControl(method, path, bodyText, res);

      const isGet = method === "GET" || head;
      let body: unknown = undefined;
      if (!isGet && bodyText !== "") {
        try {
          body = JSON.parse(bodyText);
        } catch {
          body = bodyText;
        }
      }
      requests.push({ path, method, body });

      if (isGet && path === "/") return sendText(res, 200, "Ollama is running", head);
      if (isGet && path === "/api/version") return sendJson(res, 200, { version: STANDIN_VERSION }, head);
      if (isGet && path === "/api/tags") return sendJson(res, 200, { models: models.map(describeModel) }, head);
      if (isGet && path === "/api/ps") {
        const now = Date.now();
        const running = [...loaded.entries()]
          .filter(([name]) => findModel(name))
          .map(([name, at]) => {
            const info = describeModel(name);
            return { ...info, expires_at: new Date(Math.max(now, at) + 5 * 60_000).toISOString(), size_vram: info.size + 300 * 1024 * 1024, context_length: 4096 };
          });
        return sendJson(res, 200, { models: running }, head);
      }
      if (method === "POST" && path === "/api/show") {
        const b = parseJsonBody(bodyText);
        const name = typeof b.model === "string" && b.model !== "" ? b.model : typeof b.name === "string" ? b.name : "";
        if (name === "") throw new HttpError(400, "model is required");
        const known = findModel(name);
        if (!known) throw new HttpError(404, `model '${name}' not found`);
        return sendJson(res, 200, showModel(describeModel(known)));
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
      const status = e instanceof HttpError ? e.status : e instanceof Error && path.startsWith("/__control") ? 400 : 500;
      sendJson(res, status, { error: e instanceof Error ? e.message : String(e) }, head);
    }
  }

  const makeServer = () => {
    const s = http.createServer((req, res) => void handle(req, res));
    s.keepAliveTimeout = 5_000;
    s.requestTimeout = 0;
    s.on("connection", (sock) => {
      sockets.add(sock);
      sock.on("close", () => sockets.delete(sock));
    });
    return s;
  };

  let server: http.Server | null = null;
  let port = opts.port ?? 0;

  const listen = async () => {
    const s = makeServer();
    for (let attempt = 0; ; attempt++) {
      try {
        await new Promise<void>((resolve, reject) => {
          const onError = (err: Error) => reject(err);
          s.once("error", onError);
          s.listen(port, host, () => {
            s.off("error", onError);
            resolve();
          });
        });
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "EADDRINUSE" && port !== 0 && attempt < 20 && server === null && api.down) {
          await new Promise((r) => setTimeout(r, 50));
          continue;
        }
        throw err;
      }
    }
    server = s;
    port = (s.address() as AddressInfo).port;
  };

  const closeEverything = async () => {
    for (const g of generations) {
      g.killed = true;
    }
    const s = server;
    server = null;
    for (const sock of sockets) sock.destroy();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    // Give in-process clients (undici's keep-alive pool) a moment to see their sockets closed, so the next request
    // opens a new connection and gets ECONNREFUSED instead of failing on a dead pooled socket ("other side closed").
    await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setImmediate(r)); // ensure an I/O poll phase ran after the timer
  };

  const api: OllamaStandin & { down: boolean } = {
    url: "",
    port: 0,
    down: false,
    requests,
    stats,
    setFault(f, o) {
      fault = parseFault(f);
      faultTimesLeft = fault.kind !== "none" && o?.times !== undefined ? Math.max(1, Math.trunc(o.times)) : null;
    },
    setTokenDelay(ms) {
      tokenDelayMs = Math.max(0, ms);
    },
    setModels(ms) {
      models = [...ms];
      for (const name of [...loaded.keys()]) if (!findModel(name)) loaded.delete(name);
    },
    waitForAbort(timeoutMs = 5000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (stats.aborted > abortsConsumed) {
            abortsConsumed += 1;
            cleanup();
            resolve();
            return true;
          }
          return false;
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`ollama stand-in: no client abort within ${timeoutMs} ms (stats ${JSON.stringify(stats)})`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          abortWaiters.delete(check);
        };
        if (!check()) abortWaiters.add(check);
      });
    },
    reset() {
      requests.length = 0;
      stats.aborted = 0;
      stats.completed = 0;
      abortsConsumed = 0;
    },
    async stop() {
      api.down = true;
      await closeEverything();
    },
    async goDown() {
      api.down = true;
      await closeEverything();
    },
    async comeUp() {
      if (server) return;
      await listen();
      api.down = false;
    },
  };

  await listen();
  api.port = port;
  api.url = `http://${host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host}:${port}`;
  return api;
}
