import "server-only";
import { AsyncLocalStorage, AsyncResource } from "node:async_hooks";
import { createRequire } from "node:module";
import path from "node:path";
import pino, { type DestinationStream, type Logger, type LoggerOptions } from "pino";
import type PinoPretty from "pino-pretty";
import { getConfig, type AppConfig } from "@/lib/config";

/**
 * The server's structured logs: one JSON object per line (pino), each carrying the id of the request it belongs to.
 *
 * - Request ids: the route layer (lib/observability/api-route.ts) runs each API request inside `withRequestId`; every
 *   line logged inside it, however deep, gets `requestId` (an AsyncLocalStorage read per line, nothing per token).
 * - Redaction is configuration, not discipline: case text and options (patient data) are censored unless
 *   MEDGPT_LOG_CASE_TEXT=true; credentials (authorization, cookies, tokens, keys, passwords) always are.
 * - Destination: synchronous writes to a file descriptor (no transport, no worker thread, so nothing breaks under
 *   Next's bundling and a line logged just before process.exit is not lost). stderr by default, so that a CLI's stdout
 *   stays its own output (`npm run eval -- --json`); the server switches to stdout at start (instrumentation.ts).
 *   Outside production the lines go through pino-pretty when it is installed (a devDependency: never needed in the
 *   standalone build).
 *
 * State lives on globalThis: Next compiles instrumentation and each route into bundles of their own, and all of them
 * must share one logger and one request context.
 */

export type LogSink = "stdout" | "stderr" | DestinationStream;
type LogSettings = Pick<AppConfig, "logLevel" | "logCaseText" | "prettyLogs">;
type State = { logger: Logger | null; sink: LogSink; requests: AsyncLocalStorage<{ requestId: string }> };

const state = (): State =>
  ((globalThis as unknown as { __medgptLog?: State }).__medgptLog ??= {
    logger: null,
    sink: "stderr",
    requests: new AsyncLocalStorage(),
  });

/** Credentials: censored always, at the top level, one level down, and in a nested object's headers. */
const SECRET_KEYS = ["authorization", "cookie", "set-cookie", "token", "apiKey", "key", "password", "secret"];
/** Patient data: censored unless MEDGPT_LOG_CASE_TEXT=true, at the top level and one level down. */
const CASE_KEYS = ["case", "caseText", "options"];
const paths = (keys: string[]) => keys.flatMap((k) => [`["${k}"]`, `*["${k}"]`]);
const headerPaths = (keys: string[]) => keys.map((k) => `*.headers["${k}"]`);
export const REDACTED = "[redacted]";

/** The options every MedGPT logger has; exported so tests can build one over their own stream. */
export function loggerOptions(settings: LogSettings): LoggerOptions {
  const requests = state().requests;
  return {
    level: settings.logLevel,
    redact: {
      paths: [
        ...paths(settings.logCaseText ? SECRET_KEYS : [...SECRET_KEYS, ...CASE_KEYS]),
        ...headerPaths(SECRET_KEYS),
      ],
      censor: REDACTED,
    },
    // Levels as words ("level":"info") and ISO times: readable in `docker logs`, understood by log shippers.
    formatters: { level: (label) => ({ level: label }) },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: () => {
      const store = requests.getStore();
      // A new object each time: pino merges the line's own fields into it.
      return store ? { requestId: store.requestId } : {};
    },
  };
}

function destination(sink: LogSink, pretty: boolean): DestinationStream {
  if (typeof sink !== "string") return sink;
  const fd = sink === "stdout" ? 1 : 2;
  return (pretty && prettyStream(fd)) || pino.destination({ dest: fd, sync: true });
}

/**
 * pino-pretty as a synchronous stream, or null when it is not installed (production images have no devDependencies).
 * Loaded at run time from the project's node_modules, under a name the bundler does not follow, so `next build`
 * neither bundles nor traces it.
 */
function prettyStream(fd: number): DestinationStream | null {
  const name = ["pino", "pretty"].join("-");
  try {
    const pretty = createRequire(path.join(process.cwd(), "package.json"))(name) as typeof PinoPretty;
    return pretty({
      destination: fd,
      sync: true,
      singleLine: true,
      translateTime: "SYS:HH:MM:ss.l",
      ignore: "pid,hostname",
    });
  } catch {
    return null;
  }
}

function settings(): LogSettings {
  try {
    return getConfig();
  } catch {
    // A bad environment is reported through this very logger (lib/startup.ts), with the defaults.
    return { logLevel: "info", logCaseText: false, prettyLogs: false };
  }
}

/** The process's logger. */
export function log(): Logger {
  const s = state();
  if (!s.logger) {
    const current = settings();
    s.logger = pino(loggerOptions(current), destination(s.sink, current.prettyLogs));
  }
  return s.logger;
}

/**
 * Where lines go from now on: "stdout" (the server), "stderr" (the default: CLIs keep stdout for their output), or a
 * stream (tests read the lines from it). The logger is rebuilt on its next use, with the configuration of that time.
 */
export function setLogSink(sink: LogSink): void {
  const s = state();
  s.sink = sink;
  s.logger = null;
}

/** Runs `fn` as part of request `requestId`: every line it logs, also after awaits, carries the id. */
export function withRequestId<T>(requestId: string, fn: () => T): T {
  return state().requests.run({ requestId }, fn);
}

/** The id of the request being handled, if any. */
export function currentRequestId(): string | undefined {
  return state().requests.getStore()?.requestId;
}

/**
 * `fn` bound to the current request: for callbacks that run later from someone else's context (a response stream's
 * end, pulled by the server), whose lines must still carry this request's id.
 */
export function bindToRequest<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  return AsyncResource.bind(fn);
}

// errorResponse (lib/errors.ts, isomorphic) reports internal errors through this logger once it is loaded.
(globalThis as { __medgptReportInternalError?: (err: unknown) => void }).__medgptReportInternalError = (err) =>
  log().error({ err }, "internal error");
