import "server-only";
import { getConfig } from "@/lib/config";
import { getDb } from "@/eval/store/connection";
import {
  finishRun,
  getRun,
  isExecuting,
  requestCancel,
  requeueRun,
  unfinishedRuns,
  type RunRow,
} from "@/eval/store/runs";
import { AppError } from "@/lib/errors";
import { getBackend } from "@/lib/inference";
import { log } from "@/lib/observability/log";
import { mirrorRun } from "@/eval/mirror/mirror-run";
import { executeRun } from "./execute";
import { judgeFor } from "./judge";

/**
 * Background runs inside the server process. State lives on globalThis so that Next's dev reloads do not
 * start a second executor for a run that is already going.
 */
type Jobs = Map<string, { controller: AbortController; done: Promise<void> }>;
const jobs = (): Jobs => ((globalThis as unknown as { __medgptJobs?: Jobs }).__medgptJobs ??= new Map());

/** Starts (or resumes) a run in the background unless this process is already executing it. */
export function startRun(runId: string): void {
  if (jobs().has(runId)) return;
  const config = getConfig();
  const db = getDb(config.dbPath);
  const run = getRun(db, runId);
  if (!run) return;
  const controller = new AbortController();
  const done = (async () => {
    try {
      const status = await executeRun(
        db,
        run,
        { backend: getBackend(), judge: judgeFor(run.config.judge, config), config },
        controller.signal,
      );
      if (status && status !== "running" && config.weave && getRun(db, runId)?.mirrorStatus === "pending") {
        await mirrorOnce(runId, config.weave);
      }
    } catch (err) {
      // E.g. the judge can no longer be built (GROQ_API_KEY removed before a resume): end the run visibly.
      log().error({ event: "run_failed", runId, err }, "run stopped");
      finishRun(db, runId, "failed", (err as Error).message);
    } finally {
      jobs().delete(runId);
    }
  })();
  jobs().set(runId, { controller, done });
}

/**
 * Continues a run that is not being executed: interrupted, cancelled, failed, partial (its failed items are
 * generated again), or marked running by a process that is gone.
 */
export function resumeRun(runId: string): void {
  const db = getDb(getConfig().dbPath);
  const run = getRun(db, runId);
  if (!run) throw new AppError("not_found", `Run ${runId} does not exist.`);
  if (run.status === "completed") throw new AppError("conflict", "The run is complete; there is nothing to resume.");
  if (jobs().has(runId) || isExecuting(run)) throw new AppError("conflict", "The run is being executed right now.");
  if (run.status !== "queued" && run.status !== "running") requeueRun(db, runId);
  startRun(runId);
}

export function cancelRun(runId: string): RunRow | null {
  const db = getDb(getConfig().dbPath);
  const run = requestCancel(db, runId);
  jobs().get(runId)?.controller.abort();
  return run;
}

const mirroring = (): Set<string> =>
  ((globalThis as unknown as { __medgptMirroring?: Set<string> }).__medgptMirroring ??= new Set());

/** Mirrors a run unless a mirror of it is already under way here (two would create duplicate evaluations). */
async function mirrorOnce(runId: string, weave: NonNullable<ReturnType<typeof getConfig>["weave"]>): Promise<void> {
  if (mirroring().has(runId)) return;
  mirroring().add(runId);
  try {
    await mirrorRun(getDb(getConfig().dbPath), runId, weave);
  } finally {
    mirroring().delete(runId);
  }
}

export const isMirroring = (runId: string) => mirroring().has(runId);

/** Retries a Weave mirror in the background; false when Weave is not configured. */
export function retryMirror(runId: string): boolean {
  const config = getConfig();
  if (!config.weave) return false;
  mirrorOnce(runId, config.weave).catch((err: unknown) => log().error({ runId, err }, "Weave mirror failed"));
  return true;
}

/** At server start: pick up runs that were queued or running when the previous process stopped. */
export function resumeUnfinishedRuns(): number {
  const runs = unfinishedRuns(getDb(getConfig().dbPath));
  for (const run of runs) startRun(run.id);
  return runs.length;
}

/** Stops this process's background runs and waits for them: they end as interrupted, resumable. */
export async function stopAllRuns(): Promise<void> {
  const all = [...jobs().values()];
  for (const j of all) j.controller.abort();
  await Promise.all(all.map((j) => j.done));
}
