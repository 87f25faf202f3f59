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
 *
 * Other code imports the stand-in from here; the parts live in ollama-server.ts, ollama-models.ts, ollama-faults.ts
 * and recorded-replies.ts (which the OpenAI-compatible stand-in shares).
 */
import type { OllamaFault } from "./ollama-faults";
import type { ReplyStats, StreamingStandin } from "./standin-replies";

export { parseFault, type OllamaFault } from "./ollama-faults";
export { DEFAULT_MODELS } from "./ollama-models";
export { startOllamaStandin, STANDIN_VERSION } from "./ollama-server";
export {
  DEFAULT_RECORDINGS_PATH,
  findCase,
  loadRecordings,
  madeUpReply,
  parseOptions,
  replyFor,
  sha256_16,
  splitIntoChunks,
  type RecordedCase,
  type Recordings,
} from "./recorded-replies";

export type StandinOptions = {
  /** 0 = random (default) */
  port?: number;
  /** bind address; default 127.0.0.1 */
  host?: string;
  /** models "pulled"; default ["mrizwank97/medgpt:latest", "gemma2:2b"] */
  models?: string[];
  /** what /api/version says; before 0.12.11 the logprobs request fields are ignored, as a real server does. Default STANDIN_VERSION */
  version?: string;
  /** delay before each streamed chunk (so also time to first token); default 0 */
  tokenDelayMs?: number;
  /** default sharedPath("data","recorded-responses-test93.jsonl") when it exists, else null (made-up replies) */
  recordingsPath?: string | null;
};

export type StandinStats = ReplyStats;

export type StandinRequest = { path: string; method: string; body: unknown };

/** stats count generate/chat requests only. */
export type OllamaStandin = StreamingStandin & {
  /** Persistent until changed; `times` makes it apply to the next N generate/chat requests only, then "none". */
  setFault(f: OllamaFault, opts?: { times?: number }): void;
  /** requests seen (all /api/* and unknown paths; not /__control), e.g. for asserting raw:true, options, prompt */
  requests: StandinRequest[];
};
