import "server-only";
import type { ModelSummary } from "@/eval/domain";
import { calibrate } from "@/eval/scorers/calibration";
import { meanWithCi, percentile, wilsonInterval } from "@/eval/scorers/stats";
import type { Db } from "@/eval/store/connection";
import { modelFigures, type ModelFigures } from "@/eval/store/figures";
import { runRevision, type RunRow } from "@/eval/store/runs";

const round = (v: number | null, digits = 4) => (v === null ? null : Math.round(v * 10 ** digits) / 10 ** digits);

/**
 * The run's per-model summary, the figures of eval/runner/summary.ts's summarizeModel (which the CLI and the Weave
 * mirror use, and which defines them) computed from aggregate queries instead of every result row: a run page on a
 * 10,000-question run would otherwise read and parse every model reply to show a few numbers. run-summary.test.ts
 * holds the two equal.
 */
export function computeRunSummary(db: Db, run: RunRow): ModelSummary[] {
  return run.config.models.map((model) => summaryOf(model, run.itemIdxs.length, modelFigures(db, run.id, model)));
}

/** Summaries kept per connection and run, with the run revision they were computed at; the oldest go first. */
const kept = new WeakMap<Db, Map<string, { revision: number; summary: ModelSummary[] }>>();
const KEPT_RUNS = 200;

/**
 * computeRunSummary, computed again only when the run's results or verdicts changed since (its revision, which every
 * such write bumps, in any process): a finished run's page and the runs list, polled by every open dashboard, read
 * one row instead of summing up 10,000 results each time. The answer is shared: do not modify it.
 */
export function runSummary(db: Db, run: RunRow): ModelSummary[] {
  const revision = runRevision(db, run.id);
  let runs = kept.get(db);
  if (!runs) kept.set(db, (runs = new Map()));
  const hit = runs.get(run.id);
  if (hit?.revision === revision) return hit.summary;
  // Read after the revision: a write in between makes the next call compute again, never a stale answer stick.
  const summary = computeRunSummary(db, run);
  runs.delete(run.id);
  runs.set(run.id, { revision, summary });
  if (runs.size > KEPT_RUNS) runs.delete(runs.keys().next().value!);
  return summary;
}

function summaryOf(model: string, total: number, f: ModelFigures): ModelSummary {
  const judge = meanWithCi(f.scores);
  const calibration = calibrate(f.confidence);
  // percentile sorts a copy of its input with a comparator (~2 ms for 10,000 latencies, each call). Sorted once here
  // as a typed array (a native numeric sort, several times faster), each call finds them in order and its sort only
  // checks that; the figures are the same, as percentile reads the same sorted values.
  const latencies = Array.from(Float64Array.from(f.latencies).sort());
  return {
    model,
    total,
    completed: f.completed,
    answered: f.answered,
    correct: f.correct,
    accuracy: f.completed ? round(f.correct / f.completed) : null,
    accuracyCi: f.completed ? (wilsonInterval(f.correct, f.completed).map((v) => round(v)!) as [number, number]) : null,
    formatOk: f.formatOk,
    judgeMean: round(judge.mean, 3),
    judgeCi: judge.lo !== null && judge.hi !== null ? [round(judge.lo, 3)!, round(judge.hi, 3)!] : null,
    judged: f.scores.length,
    unparseableVerdicts: f.unparseable,
    judgeErrors: f.judgeErrors,
    latencyP50Ms: round(percentile(latencies, 50), 1),
    latencyP95Ms: round(percentile(latencies, 95), 1),
    tokensPerSecond: f.tokensPerSecond.length
      ? round(f.tokensPerSecond.reduce((a, b) => a + b, 0) / f.tokensPerSecond.length, 1)
      : null,
    errors: f.errors,
    calibration: calibration && {
      ...calibration,
      brier: f.brierN ? round(f.brierSum / f.brierN) : null,
      brierN: f.brierN,
    },
    vote: f.voted
      ? {
          correct: f.voteCorrect,
          accuracy: f.completed ? round(f.voteCorrect / f.completed) : null,
          calibration: calibrate(f.voteConfidence),
        }
      : null,
  };
}
