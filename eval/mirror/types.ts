/**
 * Plain data exchanged with the Weave mirror worker (eval/mirror/worker.mjs). Everything here must survive the
 * structured clone of `workerData` / `postMessage`: no classes, functions or Dates.
 *
 * One payload = one model of one run. A run with two models is mirrored with two calls to `mirrorToWeave`, each
 * becoming its own `Evaluation.evaluate` call in Weave. Give both the same `evaluationName` and `datasetName` so
 * that Weave sees the same Evaluation object (same digest) and its "Compare evaluations" view lines them up.
 */

/** The scorer names the worker logs; also the `scorers` list of the Weave Evaluation object. */
export const MIRROR_SCORERS = ["exact_match", "format_ok", "judge_score"] as const;
export type MirrorScorer = (typeof MIRROR_SCORERS)[number];

export type MirrorItem = {
  /** What the model saw. `index` is the item's position in the run's dataset. */
  inputs: { index: number; case: string; options: Record<string, string>; reference: string };
  /** The model's raw reply and the letter parsed from it (null when none could be parsed). */
  output: { raw: string; letter: string | null };
  /** `judge_score: null` (no verdict, or no judge) is not logged at all rather than logged as null. */
  scores: { exact_match: boolean; format_ok: boolean; judge_score: number | null };
};

export type MirrorPayload = {
  /** The MedGPT run id; sent as the evaluate call's attribute `medgpt.run_id`. */
  runId: string;
  /** "entity/project", always with the entity: without it weave makes a GraphQL call to api.wandb.ai. */
  project: string;
  /** W&B API key (WANDB_API_KEY). Only the worker's copy of the environment gets it. */
  apiKey: string;
  /**
   * Trace server base URL, given to weave as WF_TRACE_SERVER_URL (used verbatim, http allowed), e.g.
   * http://127.0.0.1:PORT for a stand-in, https://<host>/traces for a dedicated W&B. Default https://trace.wandb.ai.
   */
  traceServerUrl?: string;
  /** Base of the Weave UI links in the result; default "https://wandb.ai" (set it for a dedicated W&B host). */
  uiBaseUrl?: string;
  /** Name of the Weave Evaluation object (its object id is this name with non-word characters turned into "-"). */
  evaluationName: string;
  /** Model name; becomes a Weave Model object of that name. */
  model: string;
  /** Dataset name; logged as the Evaluation's dataset (a name, not an uploaded Dataset table). */
  datasetName: string;
  items: MirrorItem[];
  /**
   * The run's own aggregates (e.g. accuracy, format_rate, judge_mean). Logged merged over the per-scorer aggregates
   * the worker computes (exact_match/format_ok: {true_count, true_fraction}; judge_score: {mean, count}); a key
   * that reuses a scorer name replaces that aggregate.
   */
  summary: Record<string, number | null>;
};

export type MirrorResult =
  | {
      ok: true;
      /**
       * Link to the evaluate call (https://wandb.ai/<entity>/<project>/r/call/<callId>), or to the project's
       * Evaluations page when the call id could not be found; null only if neither could be built.
       */
      url: string | null;
    }
  | { ok: false; error: string };

/** Options the parent passes to the worker next to the payload. */
export type MirrorWorkerOptions = {
  /** Predictions in flight at once (each one a few requests in sequence). */
  concurrency: number;
  /** Where weave's `weaveErrors.log` lines go instead of `<cwd>/weaveErrors.log`; null drops them. */
  errorLogPath: string | null;
  /** Absolute path of weave's entry file as resolved by the parent; null → the worker imports "weave" itself. */
  weaveEntry: string | null;
};

export type MirrorWorkerData = { payload: MirrorPayload; options: MirrorWorkerOptions };

/** Messages the worker posts to the parent. */
export type MirrorWorkerMessage =
  /**
   * Something failed inside the worker without ending it: a trace-server request (non-2xx answer or network error;
   * sent for every attempt, weave's retries included) or an unhandled rejection inside weave.
   */
  | { kind: "failure"; detail: string }
  /** Sent once a second while trace-server requests are unanswered: how many, and the oldest one. */
  | { kind: "stalled"; count: number; oldest: string; waitingMs: number }
  /** Predictions fully logged (scores and finish included) so far. */
  | { kind: "progress"; done: number; total: number }
  /** The worker's final word. After it the parent terminates the worker. */
  | { kind: "result"; result: MirrorResult };
