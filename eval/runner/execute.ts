import "server-only";
import { askOnce } from "@/lib/ask/service";
import type { AppConfig } from "@/lib/config";
import type { Db } from "@/eval/store/connection";
import { getItems, type StoredItem } from "@/eval/store/datasets";
import {
  emptyResult,
  insertResult,
  insertVerdict,
  runProgress,
  unjudgedResults,
  type ResultRow,
  type SampleRow,
} from "@/eval/store/results";
import { claimRun, finishRun, getRunStatus, heartbeat, type RunRow } from "@/eval/store/runs";
import { AppError, isAbortError } from "@/lib/errors";
import { log } from "@/lib/observability/log";
import { recordEvalItem } from "@/lib/observability/metrics";
import type { InferenceBackend } from "@/lib/inference/types";
import type { Judge } from "@/eval/types";
import { AsyncQueue, runPool } from "./pool";
import type { RunStatus } from "@/eval/domain";
import { generateWithRetry, type RetryPolicy } from "./retry";
import { vote } from "./vote";
import type { AskResponse } from "@/lib/schemas/ask";

export type RunDeps = {
  backend: InferenceBackend;
  judge: Judge | null;
  config: AppConfig;
  retry?: Partial<RetryPolicy>;
  /** Called after each committed result or verdict. */
  onProgress?: (p: { done: number; total: number; errors: number; judged: number }) => void;
  heartbeatMs?: number;
};

type JudgeJob = { item: StoredItem; result: ResultRow };

/** Why a run stopped before its end, when it did. */
type Stop = { status: "failed" | "interrupted"; reason: string } | null;

/**
 * Executes (or resumes) a run: generation for every (item, model) pair without a successful result (items that
 * failed before are tried again), then the judge for every successful generation without a verdict. Each result
 * is committed as soon as it finishes, so a crash loses at most the items in flight. Returns the final status, or
 * null when another process owns the run. The caller hands over the run it looked up and the dependencies it
 * built (the judge from the spec stored with the run), so what runs is what the caller saw.
 */
export async function executeRun(db: Db, run: RunRow, deps: RunDeps, signal?: AbortSignal): Promise<RunStatus | null> {
  const runId = run.id;
  if (!claimRun(db, runId)) return null;
  const { config: rc } = run;
  const startedAt = performance.now();
  // A run that started before (interrupted, cancelled, partial, or left by a crash) is being resumed.
  log().info(
    { event: run.startedAt ? "run_resumed" : "run_started", runId, models: rc.models, total: run.total },
    run.startedAt ? "run resumed" : "run started",
  );
  const abort = new AbortController();
  const stop = AbortSignal.any(signal ? [signal, abort.signal] : [abort.signal]);
  let stopped: Stop = null;
  const halt = (s: NonNullable<Stop>) => {
    stopped ??= s;
    abort.abort();
  };

  // The heartbeat keeps our claim fresh and notices a cancel requested by another process (dashboard or CLI).
  const beat = setInterval(() => {
    try {
      if (!heartbeat(db, runId)) halt({ status: "interrupted", reason: "another process took over this run" });
      else if (getRunStatus(db, runId) === "cancelled") abort.abort();
    } catch (err) {
      // A busy database for one tick is not worth crashing the process; the next tick tries again.
      log().warn({ runId, err }, "run heartbeat failed");
    }
  }, deps.heartbeatMs ?? 2000);
  beat.unref?.();

  const items = new Map(getItems(db, run.datasetId).map((it) => [it.idx, it]));
  const ok = new Set(
    (
      db.prepare(`SELECT item_idx, model FROM results WHERE run_id = ? AND status = 'ok'`).all(runId) as {
        item_idx: number;
        model: string;
      }[]
    ).map((r) => `${r.item_idx}|${r.model}`),
  );
  const pairs = rc.models.flatMap((model) =>
    run.itemIdxs.filter((idx) => !ok.has(`${idx}|${model}`)).map((idx) => ({ model, item: items.get(idx)! })),
  );

  const report = () => {
    const p = runProgress(db, runId);
    deps.onProgress?.({ ...p, total: run.total });
  };

  const judgeQueue = new AsyncQueue<JudgeJob>();
  if (deps.judge)
    for (const result of unjudgedResults(db, runId)) judgeQueue.push({ item: items.get(result.itemIdx)!, result });
  const judging = deps.judge
    ? runPool(judgeQueue, rc.judgeConcurrency, (job) => judgeOne(db, deps.judge!, job, stop, report)).catch(
        (err: unknown) => halt({ status: "failed", reason: `the judge stopped: ${(err as Error).message}` }),
      )
    : null;

  try {
    await runPool(pairs, rc.concurrency, async ({ model, item }) => {
      if (stop.aborted) return;
      const result = await generateOne(runId, model, item, deps, rc, stop);
      if (result === "aborted") return;
      if (result instanceof AppError) {
        // A missing model fails every item the same way: stop instead of recording N identical errors. A model
        // server that stays unreachable interrupts the run, resumable once it is back.
        const reason = `${result.message} ${result.fix}`;
        halt(result.code === "model_not_found" ? { status: "failed", reason } : { status: "interrupted", reason });
        return;
      }
      insertResult(db, result.result, result.samples);
      recordEvalItem(result.result.status === "ok" ? "done" : "failed");
      report();
      if (deps.judge && result.result.status === "ok") judgeQueue.push({ item, result: result.result });
    });
  } catch (err) {
    halt({ status: "failed", reason: (err as Error).message });
  } finally {
    judgeQueue.close();
    await judging;
    clearInterval(beat);
  }

  const progress = runProgress(db, runId);
  let status: RunStatus;
  const why = stopped as Stop;
  if (why) status = why.status;
  else if (getRunStatus(db, runId) === "cancelled") status = "cancelled";
  else if (signal?.aborted)
    status = "interrupted"; // our process is stopping: resumable, not cancelled
  else status = progress.errors > 0 || progress.judgeErrors > 0 || progress.done < run.total ? "partial" : "completed";
  const reason = why?.reason ?? (status === "interrupted" ? "stopped before the end; resume to continue" : null);
  finishRun(db, runId, status, reason);
  const final = getRunStatus(db, runId);
  logRunEnd(runId, final ?? status, { ...progress, total: run.total, reason, ms: performance.now() - startedAt });
  return final;
}

/** The run's last line: finished (completed or partial), failed, cancelled or interrupted, with its counts. */
function logRunEnd(
  runId: string,
  status: RunStatus,
  f: { done: number; errors: number; judgeErrors: number; total: number; reason: string | null; ms: number },
): void {
  const event = status === "completed" || status === "partial" ? "run_finished" : `run_${status}`;
  const fields = { event, runId, status, ...f, ms: Math.round(f.ms) };
  if (status === "failed") log().error(fields, "run failed");
  else if (status === "interrupted") log().warn(fields, "run interrupted");
  else log().info(fields, event.replace("_", " "));
}

type Generated = { result: ResultRow; samples: SampleRow[] };

/**
 * One item for one model: `samples` generations (self-consistency when more than 1; sample i uses seed + i so the
 * run stays reproducible), each retried on its own. The first sample is the result; the vote and its agreement are
 * stored beside it, and every sample in the samples table. Any sample that finally fails makes the item an error,
 * generated again on resume.
 */
async function generateOne(
  runId: string,
  model: string,
  item: StoredItem,
  deps: RunDeps,
  rc: { temperature: number; maxTokens: number; seed: number; samples?: number },
  signal: AbortSignal,
): Promise<Generated | AppError | "aborted"> {
  const k = rc.samples ?? 1;
  const base = { runId, itemIdx: item.idx, model };
  const replies: AskResponse[] = [];
  let attempts = 0;
  for (let i = 0; i < k; i++) {
    const request = {
      case: item.caseText,
      options: item.options,
      model,
      stream: false,
      seed: rc.seed + i,
      temperature: rc.temperature,
      maxTokens: rc.maxTokens,
    };
    const outcome = await generateWithRetry(
      () => askOnce(request, { backend: deps.backend, config: deps.config }, signal),
      signal,
      deps.retry,
    );
    if (outcome.kind === "aborted") return "aborted";
    if (outcome.kind === "fatal") return outcome.error;
    if (outcome.kind === "failed")
      return { result: failed(base, attempts + outcome.attempts, outcome.error), samples: [] };
    attempts += outcome.attempts;
    replies.push(outcome.value);
  }
  const r = replies[0]!;
  const voted = k > 1 ? vote(replies.map((x) => x.answer)) : null;
  return {
    result: {
      ...base,
      status: "ok",
      raw: r.raw,
      letter: r.answer.letter,
      exact: r.answer.letter === item.referenceLetter,
      formatOk: r.formatOk,
      latencyMs: r.timings.totalMs,
      firstTokenMs: r.timings.firstTokenMs,
      evalCount: r.timings.evalCount,
      tokensPerSecond: r.timings.tokensPerSecond,
      attempts,
      error: null,
      confidence: r.answer.confidence,
      probabilities: r.answer.probabilities,
      voteLetter: voted?.letter ?? null,
      voteExact: voted ? voted.letter === item.referenceLetter : null,
      agreement: voted?.agreement ?? null,
      referenceLetter: item.referenceLetter,
    },
    samples:
      k > 1
        ? replies.map((x, i) => ({
            sampleIdx: i,
            raw: x.raw,
            letter: x.answer.letter,
            confidence: x.answer.confidence,
            probabilities: x.answer.probabilities,
          }))
        : [],
  };
}

function failed(base: { runId: string; itemIdx: number; model: string }, attempts: number, error: string): ResultRow {
  return { ...emptyResult(base), status: "error", attempts, error };
}

async function judgeOne(db: Db, judge: Judge, job: JudgeJob, signal: AbortSignal, report: () => void): Promise<void> {
  if (signal.aborted) return;
  const base = { runId: job.result.runId, itemIdx: job.item.idx, model: job.result.model, judgeModel: judge.id };
  try {
    const v = await judge.judge(
      {
        caseText: job.item.caseText,
        options: job.item.options,
        referenceLetter: job.item.referenceLetter,
        referenceReasoning: job.item.referenceReasoning,
        modelOutput: job.result.raw ?? "",
      },
      signal,
    );
    insertVerdict(
      db,
      v.status === "scored"
        ? {
            ...base,
            status: "scored",
            score: v.score,
            explanation: v.explanation,
            raw: v.raw,
            error: null,
            attempts: v.attempts,
          }
        : {
            ...base,
            status: "unparseable",
            score: null,
            explanation: null,
            raw: v.raw,
            error: v.error,
            attempts: v.attempts,
          },
    );
  } catch (err) {
    if (isAbortError(err) || signal.aborted) return; // judged again on resume
    const attempts = (err as { attempts?: number }).attempts ?? 1;
    insertVerdict(db, {
      ...base,
      status: "error",
      score: null,
      explanation: null,
      raw: null,
      error: (err as Error).message,
      attempts,
    });
  }
  report();
}
