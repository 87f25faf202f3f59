/**
 * Weave mirror worker: runs inside a `worker_threads` Worker started by eval/mirror/mirror.ts, never in the main
 * thread. It logs one model's evaluation (see MirrorPayload in ./types.ts) with `weave.EvaluationLogger`, waits for
 * the SDK to flush, and posts a MirrorResult.
 *
 * Plain ESM JavaScript on purpose: it is loaded by Node as a file at runtime (not bundled by Next, not compiled
 * by tsx/vitest), so it must not import project TypeScript. Its only package import is `weave`: from the path the
 * parent resolved (MirrorWorkerOptions.weaveEntry), else resolved from this file's location.
 *
 * Why a worker: weave calls `process.exit(1)` after more than 10 failed /call/upsert_batch posts, patches
 * `require`, prints to the console and retries for minutes. In a worker, process.exit ends only this thread,
 * `process.env` is this thread's own copy (the API key never reaches the server's environment), and the parent can
 * terminate it on a timeout.
 *
 * Messages posted (MirrorWorkerMessage): {kind:"failure", detail} for every failed trace-server request
 * (retries included) and unhandled rejection, {kind:"stalled", ...} once a second while requests are unanswered,
 * {kind:"progress", done, total}, then exactly one {kind:"result", result}.
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { isMainThread, parentPort, workerData } from "node:worker_threads";

/** @typedef {import("./types").MirrorWorkerData} MirrorWorkerData */
/** @typedef {import("./types").MirrorWorkerMessage} MirrorWorkerMessage */
/** @typedef {import("./types").MirrorResult} MirrorResult */
/** @typedef {import("./types").MirrorItem} MirrorItem */

if (isMainThread || !parentPort) {
  throw new Error("eval/mirror/worker.mjs must be started by mirrorToWeave (eval/mirror/mirror.ts) as a worker thread");
}
const port = parentPort;

/** @param {MirrorWorkerMessage} msg */
const post = (msg) => port.postMessage(msg);

const SCORERS = ["exact_match", "format_ok", "judge_score"];
/** weave's own default for api.wandb.ai (urls.js). */
const DEFAULT_TRACE_SERVER_URL = "https://trace.wandb.ai";

/** @param {string} s @param {number} n */
const clip = (s, n) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** @param {unknown} url */
function pathOf(url) {
  try {
    return new URL(String(url)).pathname;
  } catch {
    return String(url);
  }
}

/**
 * Human-readable reason for anything weave may throw, including the raw Response clone its generated API client
 * throws for a non-2xx answer (with `.error` = the parsed body) and undici's "fetch failed" TypeError (real reason in
 * `.cause`).
 * @param {unknown} err
 * @returns {string}
 */
function describe(err) {
  if (err && typeof err === "object" && "status" in err && "url" in err && typeof err.status === "number") {
    const body = "error" in err && err.error != null ? err.error : null;
    let detail = "";
    if (body && typeof body === "object" && "detail" in body) detail = String(body.detail);
    else if (body != null && !(body instanceof Error)) detail = JSON.stringify(body);
    return `trace server answered HTTP ${err.status} to ${pathOf(err.url)}${detail ? `: ${clip(detail, 300)}` : ""}${hint(err.status)}`;
  }
  if (err instanceof Error) {
    const cause = /** @type {{cause?: unknown}} */ (err).cause;
    if (cause instanceof Error) {
      const code = /** @type {{code?: unknown}} */ (cause).code;
      return `${err.message}: ${cause.message}${typeof code === "string" && !cause.message.includes(code) ? ` (${code})` : ""}`;
    }
    return err.message;
  }
  try {
    return clip(JSON.stringify(err), 300);
  } catch {
    return String(err);
  }
}

/** @param {number} status */
function hint(status) {
  if (status === 401 || status === 403) return " (check the W&B API key and that it may write to the project)";
  if (status === 404) return " (check the entity/project name)";
  return "";
}

/**
 * weave appends to "weaveErrors.log" relative to process.cwd() (weaveClient.js, `fs.appendFileSync`). A worker
 * cannot chdir, and the cwd is the server's (the repo or .next/standalone). weave reads `fs.appendFileSync` through
 * a live getter on this thread's own `fs` module object, so replacing it here redirects the log for this thread
 * only; every other path is passed through unchanged.
 * @param {string | null} target
 */
function redirectWeaveErrorLog(target) {
  const original = fs.appendFileSync;
  /** @type {typeof fs.appendFileSync} */
  const patched = (file, data, options) => {
    if (file !== "weaveErrors.log") return original(file, data, options);
    if (target === null) return;
    try {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      original(target, data, options);
    } catch {
      // The log is only a diagnostic; never fail the mirror over it.
    }
  };
  fs.appendFileSync = patched;
}

/** The last failure seen by the fetch observer, for the worker's own messages. */
let lastFailure = "";

/** @param {string} detail */
function reportFailure(detail) {
  lastFailure = detail;
  post({ kind: "failure", detail });
}

/**
 * Observes every request the SDK makes (weave calls the global `fetch` at call time, through its own retry loop):
 * reports each failure to the parent, and once a second, while requests are unanswered, how many and the oldest,
 * so that a timeout can say what went wrong. Requests and answers are passed through unchanged.
 */
function observeFetch() {
  const original = globalThis.fetch;
  /** @type {Map<number, {what: string, since: number}>} */
  const pending = new Map();
  let seq = 0;
  const ticker = setInterval(() => {
    const oldest = pending.values().next().value;
    if (oldest)
      post({ kind: "stalled", count: pending.size, oldest: oldest.what, waitingMs: Date.now() - oldest.since });
  }, 1000);
  ticker.unref();
  /** @type {typeof fetch} */
  const observed = async (input, init) => {
    const url = typeof input === "string" || input instanceof URL ? String(input) : input.url;
    const what = `${init?.method ?? (typeof input === "object" && "method" in input ? input.method : "GET")} ${pathOf(url)}`;
    const id = ++seq;
    pending.set(id, { what, since: Date.now() });
    try {
      const res = await original(input, init);
      if (!res.ok) {
        let body = "";
        try {
          body = clip((await res.clone().text()).trim(), 200);
        } catch {
          // body unreadable: report the status alone
        }
        reportFailure(`HTTP ${res.status} from ${what}${body ? `: ${body}` : ""}`);
      }
      return res;
    } catch (err) {
      reportFailure(`${what} failed: ${describe(err)}`);
      throw err;
    } finally {
      pending.delete(id);
    }
  };
  globalThis.fetch = observed;
}

/**
 * Per-scorer aggregates in the shape the Weave UI expects (as weave's own auto-summary: booleans →
 * {true_count, true_fraction}, numbers → {mean}), plus `count` for judge_score since it may be missing.
 * @param {MirrorItem[]} items
 */
function scorerSummary(items) {
  /** @type {Record<string, unknown>} */
  const out = {};
  for (const name of ["exact_match", "format_ok"]) {
    const vals = items
      .map((i) => /** @type {Record<string, unknown>} */ (i.scores)[name])
      .filter((v) => typeof v === "boolean");
    if (vals.length > 0) {
      const t = vals.filter(Boolean).length;
      out[name] = { true_count: t, true_fraction: t / vals.length };
    }
  }
  /** @type {number[]} */
  const judged = [];
  for (const i of items)
    if (typeof i.scores.judge_score === "number" && Number.isFinite(i.scores.judge_score))
      judged.push(i.scores.judge_score);
  if (judged.length > 0)
    out.judge_score = { mean: judged.reduce((a, b) => a + b, 0) / judged.length, count: judged.length };
  return out;
}

/** @param {string} base @param {string} project @param {string | null} callId */
function uiUrl(base, project, callId) {
  const [entity, name] = project.split("/");
  if (!entity || !name) return null;
  const root = `${base.replace(/\/+$/, "")}/${encodeURIComponent(entity)}/${encodeURIComponent(name)}`;
  return callId ? `${root}/r/call/${encodeURIComponent(callId)}` : `${root}/weave/evaluations`;
}

/** @returns {Promise<MirrorResult>} */
async function run() {
  const { payload, options } = /** @type {MirrorWorkerData} */ (workerData);

  // The environment must be in place before weave is imported: it reads it in init() and settings.
  // This is the worker's own copy of process.env (Worker default), so nothing leaks to the server.
  const env = process.env;
  env.WANDB_API_KEY = payload.apiKey;
  // Always set, so that the payload decides where data goes, not an inherited WF_TRACE_SERVER_URL or
  // WANDB_BASE_URL / ~/.config/wandb/settings (those only matter for the GraphQL API, unused with "entity/project").
  // weave joins it verbatim with paths that start with "/".
  env.WF_TRACE_SERVER_URL = (payload.traceServerUrl ?? DEFAULT_TRACE_SERVER_URL).replace(/\/+$/, "");
  env.WEAVE_PRINT_CALL_LINK = "false";

  redirectWeaveErrorLog(options.errorLogPath);
  observeFetch();

  const mod = await import(options.weaveEntry ? pathToFileURL(options.weaveEntry).href : "weave");
  const weave = /** @type {typeof import("weave")} */ (mod.default ?? mod);

  const client = await weave.init(payload.project);

  const logger = new weave.EvaluationLogger({
    name: payload.evaluationName,
    model: { name: payload.model },
    dataset: payload.datasetName,
    scorers: [...SCORERS],
    attributes: { medgpt: { run_id: payload.runId, model: payload.model, dataset: payload.datasetName } },
  });

  const total = payload.items.length;
  let done = 0;
  /** @type {string[]} */
  const scoreFailures = [];
  let next = 0;
  /** @type {unknown} */
  let firstError = null;

  /** @param {MirrorItem} item */
  const logItem = async (item) => {
    const pred = await logger.logPredictionAsync(item.inputs, item.output);
    for (const name of SCORERS) {
      const value = /** @type {Record<string, unknown>} */ (item.scores)[name];
      if (value === null || value === undefined) continue; // no verdict: leave the score empty in Weave
      await pred.logScore(name, value);
      // logScore swallows its own failures (console.error). On success weave records the score in the
      // prediction's metadata; when that bookkeeping is visible and the score is missing, the upload failed.
      const meta = /** @type {{predMeta?: {scores?: Record<string, unknown>}}} */ (/** @type {unknown} */ (pred))
        .predMeta;
      if (meta?.scores && !(name in meta.scores)) scoreFailures.push(`item ${item.inputs.index} ${name}`);
    }
    await pred.finish();
    done++;
    post({ kind: "progress", done, total });
  };

  const lane = async () => {
    while (firstError === null && next < total) {
      const item = payload.items[next++];
      if (!item) break;
      try {
        await logItem(item);
      } catch (err) {
        if (firstError === null) firstError = err ?? new Error("unknown error");
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, total)) }, lane));
  if (firstError !== null) throw firstError;

  await logger.logSummary({ ...scorerSummary(payload.items), ...payload.summary });
  await client.waitForBatchProcessing();

  const entry = /** @type {{evaluateEntry?: {callId?: unknown}}} */ (/** @type {unknown} */ (logger)).evaluateEntry;
  const callId = typeof entry?.callId === "string" ? entry.callId : null;
  const url = uiUrl(payload.uiBaseUrl ?? "https://wandb.ai", payload.project, callId);

  if (scoreFailures.length > 0) {
    const logged = payload.items.reduce(
      (n, i) => n + SCORERS.filter((k) => /** @type {Record<string, unknown>} */ (i.scores)[k] != null).length,
      0,
    );
    return {
      ok: false,
      error:
        `Weave mirror incomplete: ${scoreFailures.length} of ${logged} score(s) failed to upload ` +
        `(first: ${scoreFailures[0]}${lastFailure ? `; last error: ${lastFailure}` : ""}); ` +
        `predictions and summary were logged${url ? ` at ${url}` : ""}`,
    };
  }
  return { ok: true, url };
}

// Side saves weave starts without awaiting (e.g. a second object while the first one's upload fails) can reject
// with no handler; by default that would kill the worker with a less useful error than the main flow's own.
process.on("unhandledRejection", (reason) => {
  reportFailure(`unhandled rejection in weave: ${describe(reason)}`);
});

run().then(
  (result) => post({ kind: "result", result }),
  (err) => post({ kind: "result", result: { ok: false, error: `Weave mirror failed: ${describe(err)}` } }),
);
