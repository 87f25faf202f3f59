/**
 * Mirrors a finished (or partial) evaluation run to W&B Weave, isolated so that a Weave outage can never stop the
 * server or a run.
 *
 * The work happens in a `worker_threads` Worker running eval/mirror/worker.mjs (plain ESM, loaded from disk, not
 * bundled). The weave SDK may call `process.exit(1)` (after more than 10 failed call uploads), retries each request
 * for ~31 s (5 retries, 1+2+4+8+16 s) and prints to the console; in a worker the exit ends only the worker, the
 * worker's stdout/stderr are captured here instead of reaching the server's, and a timeout terminates it.
 *
 * `mirrorToWeave` never rejects and never throws: every outcome is a MirrorResult.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { MirrorPayload, MirrorResult, MirrorWorkerData, MirrorWorkerMessage } from "./types";

export type { MirrorItem, MirrorPayload, MirrorResult } from "./types";

/** What `onEvent` receives: everything the worker reports except its final result. */
export type MirrorEvent = Exclude<MirrorWorkerMessage, { kind: "result" }>;

export type MirrorOptions = {
  /** Whole mirror, worker start to flushed upload; on expiry the worker is terminated. Default 120000. */
  timeoutMs?: number;
  /** Predictions logged concurrently. Default 8. */
  concurrency?: number;
  /**
   * Where weave's `weaveErrors.log` lines go (weave itself would append to `<cwd>/weaveErrors.log`); null drops
   * them. Default `<os.tmpdir()>/medgpt-weave/weaveErrors.log`.
   */
  errorLogPath?: string | null;
  /** Heap limit of the worker (MiB); exceeding it ends the mirror, not the server. Default 512. */
  maxMemoryMb?: number;
  /** Worker script; default: see `locateMirrorWorker`. */
  workerPath?: string;
  /** Progress, failed requests (each retry too) and stalls, as the worker reports them. */
  onEvent?: (event: MirrorEvent) => void;
  /** Each line the worker (weave) prints. By default it is dropped (the last lines are kept for error messages). */
  onLog?: (line: string, stream: "stdout" | "stderr") => void;
};

export const DEFAULT_MIRROR_TIMEOUT_MS = 120_000;
export const DEFAULT_ERROR_LOG_PATH = path.join(os.tmpdir(), "medgpt-weave", "weaveErrors.log");

/** Relative to process.cwd(): the repo root in dev/tests, `.next/standalone` in the standalone server. */
export const MIRROR_WORKER_RELATIVE_PATH = path.join("eval", "mirror", "worker.mjs");

/**
 * Finds worker.mjs: first `<cwd>/eval/mirror/worker.mjs` (dev, tests, CLI, and the standalone server, whose cwd is
 * `.next/standalone`), then next to this module (`import.meta.url`: right whenever this file runs unbundled, e.g. tsx
 * or vitest from another cwd). Returns the candidates when none exists.
 *
 * Checked with next 16.4.6 (Turbopack, output: "standalone"): Next's output file tracing follows the
 * `path.join(process.cwd(), …)` below and copies the file to `.next/standalone/eval/mirror/worker.mjs` by itself
 * (Turbopack also emits the `new URL` target as `.next/server/assets/worker.<hash>.mjs`).
 */
export function locateMirrorWorker(): { path: string } | { candidates: string[] } {
  const candidates = [path.join(process.cwd(), MIRROR_WORKER_RELATIVE_PATH)];
  try {
    candidates.push(fileURLToPath(new URL("./worker.mjs", import.meta.url)));
  } catch {
    // import.meta.url is not a file: URL inside some bundles; the cwd candidate is the one that counts there.
  }
  const found = candidates.find((c) => existsSync(c));
  return found ? { path: found } : { candidates };
}

/**
 * Absolute path of weave's entry file as this module resolves it, or null (e.g. in the Next bundle). The worker
 * imports weave from this path, else with a bare `import("weave")` resolved from the worker's own location. The static
 * `createRequire(import.meta.url).resolve("weave")` is also what makes Next's output file tracing copy weave and its
 * dependencies into `.next/standalone/node_modules` (checked with next 16.4.6 / Turbopack): without it nothing in the
 * server code refers to weave, so the standalone image would lack it. weave itself is never loaded in this thread.
 */
export function resolveWeaveEntry(): string | null {
  try {
    // Inside a Turbopack bundle this expression evaluates to a module id (a number), not a path.
    const resolved: unknown = createRequire(import.meta.url).resolve("weave");
    return typeof resolved === "string" && path.isAbsolute(resolved) ? resolved : null;
  } catch {
    return null;
  }
}

/** Returns what is wrong with the payload, or null. Checked before any worker is started. */
export function validateMirrorPayload(p: MirrorPayload): string | null {
  const problems: string[] = [];
  if (typeof p.project !== "string" || !/^[^/\s]+\/[^/\s]+$/.test(p.project)) {
    problems.push(`project must be "entity/project" (got ${JSON.stringify(p.project)})`);
  }
  if (typeof p.apiKey !== "string" || p.apiKey.trim() === "") problems.push("apiKey (WANDB_API_KEY) is empty");
  // weave derives object ids from these names and throws when nothing alphanumeric is left.
  if (typeof p.evaluationName !== "string" || !/[A-Za-z0-9]/.test(p.evaluationName))
    problems.push("evaluationName needs a letter or digit");
  if (typeof p.model !== "string" || !/[A-Za-z0-9]/.test(p.model)) problems.push("model needs a letter or digit");
  if (typeof p.datasetName !== "string" || p.datasetName.trim() === "") problems.push("datasetName is empty");
  for (const [name, value] of [
    ["traceServerUrl", p.traceServerUrl],
    ["uiBaseUrl", p.uiBaseUrl],
  ] as const) {
    if (value === undefined) continue;
    let ok = false;
    try {
      ok = ["http:", "https:"].includes(new URL(value).protocol);
    } catch {
      ok = false;
    }
    if (!ok) problems.push(`${name} must be an http(s) URL (got ${JSON.stringify(value)})`);
  }
  if (!Array.isArray(p.items)) problems.push("items must be an array");
  return problems.length > 0 ? `Invalid Weave mirror payload: ${problems.join("; ")}` : null;
}

const TAIL_LINES = 20;

/**
 * Logs one model's evaluation to Weave (an `Evaluation.evaluate` call, visible in the project's Evaluations view).
 * Resolves `{ok:true, url}` once everything is uploaded, or `{ok:false, error}` when the payload is invalid, the
 * upload fails, the worker dies (weave's own process.exit included) or `timeoutMs` passes. Never rejects.
 */
export function mirrorToWeave(payload: MirrorPayload, options: MirrorOptions = {}): Promise<MirrorResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_MIRROR_TIMEOUT_MS;
  const invalid = validateMirrorPayload(payload);
  if (invalid) return Promise.resolve({ ok: false, error: invalid });

  const located = options.workerPath ? { path: options.workerPath } : locateMirrorWorker();
  if (!("path" in located)) {
    return Promise.resolve({
      ok: false,
      error: `Weave mirror worker script not found (looked for ${located.candidates.join(", ")}); the deployment must include ${MIRROR_WORKER_RELATIVE_PATH}`,
    });
  }

  return new Promise<MirrorResult>((resolve) => {
    const total = payload.items.length;
    let done = 0;
    let failures = 0;
    let lastFailure: string | null = null;
    let stalled: { count: number; oldest: string; waitingMs: number; at: number } | null = null;
    const stderrTail: string[] = [];
    let settled = false;
    let worker: Worker | null = null;
    let timer: NodeJS.Timeout | null = null;

    const context = () => {
      const parts = [`${done}/${total} predictions logged`];
      if (stalled && Date.now() - stalled.at < 2500) {
        const waited = ((stalled.waitingMs + Date.now() - stalled.at) / 1000).toFixed(1);
        parts.push(`${stalled.count} request(s) unanswered, oldest ${stalled.oldest} waiting ${waited} s`);
      }
      if (lastFailure) parts.push(`${failures} failed request(s), last: ${lastFailure}`);
      else if (stderrTail.length > 0) parts.push(`last output: ${stderrTail[stderrTail.length - 1]}`);
      return parts.join("; ");
    };
    const finish = (result: MirrorResult) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      // Ends whatever weave still has in flight (keep-alive sockets, retry timers). Nothing to wait for.
      if (worker) worker.terminate().catch(() => undefined);
      resolve(result);
    };

    const workerData: MirrorWorkerData = {
      payload,
      options: {
        concurrency: Math.max(1, Math.floor(options.concurrency ?? 8)),
        errorLogPath: options.errorLogPath === undefined ? DEFAULT_ERROR_LOG_PATH : options.errorLogPath,
        weaveEntry: resolveWeaveEntry(),
      },
    };

    try {
      worker = new Worker(located.path, {
        workerData,
        // The worker gets its own copy of the environment (Worker default); the API key is set only in that copy.
        execArgv: [], // not the parent's loaders (tsx, vitest): the worker is plain JS
        stdout: true,
        stderr: true,
        resourceLimits: { maxOldGenerationSizeMb: options.maxMemoryMb ?? 512 },
      });
    } catch (err) {
      finish({ ok: false, error: `Weave mirror worker could not start: ${(err as Error).message}` });
      return;
    }

    const pipe = (stream: NodeJS.ReadableStream, name: "stdout" | "stderr") => {
      let partial = "";
      stream.setEncoding("utf8");
      stream.on("data", (chunk: string) => {
        const lines = (partial + chunk).split("\n");
        partial = lines.pop() ?? "";
        for (const raw of lines) {
          const line = raw.trimEnd();
          if (line === "") continue;
          if (name === "stderr") {
            stderrTail.push(line.length > 300 ? `${line.slice(0, 300)}…` : line);
            if (stderrTail.length > TAIL_LINES) stderrTail.shift();
          }
          try {
            options.onLog?.(line, name);
          } catch {
            // a logging callback must not break the mirror
          }
        }
      });
    };
    pipe(worker.stdout, "stdout");
    pipe(worker.stderr, "stderr");

    worker.on("message", (msg: MirrorWorkerMessage) => {
      if (msg.kind !== "result" && options.onEvent) {
        try {
          options.onEvent(msg);
        } catch {
          // an event callback must not break the mirror
        }
      }
      if (msg.kind === "failure") {
        failures++;
        lastFailure = msg.detail;
      } else if (msg.kind === "stalled") {
        stalled = { count: msg.count, oldest: msg.oldest, waitingMs: msg.waitingMs, at: Date.now() };
      } else if (msg.kind === "progress") {
        done = msg.done;
      } else if (msg.kind === "result") {
        finish(msg.result);
      }
    });
    worker.on("error", (err) => {
      finish({ ok: false, error: `Weave mirror worker crashed: ${err.message} (${context()})` });
    });
    worker.on("exit", (code) => {
      finish({
        ok: false,
        error:
          `Weave mirror worker exited with code ${code} before finishing` +
          (code === 1 ? " (weave gives up with process.exit(1) after more than 10 failed call uploads)" : "") +
          ` (${context()})`,
      });
    });

    timer = setTimeout(() => {
      finish({
        ok: false,
        error: `Weave mirror timed out after ${timeoutMs} ms; trace server unreachable or too slow (${context()})`,
      });
    }, timeoutMs);
  });
}
