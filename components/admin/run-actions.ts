import type { RunView } from "@/eval/api/schemas";
import { isActiveStatus } from "./api";

type RunState = Pick<RunView, "id" | "status" | "errors" | "mirror">;

/**
 * Whether the Weave mirror can be retried: it failed, or it is still pending although the run has finished (the
 * server stopped before mirroring, say). While the run is queued or running it is mirrored when it ends.
 */
export function canRetryMirror(run: Pick<RunState, "status" | "mirror">): boolean {
  if (run.mirror.status === "failed") return true;
  return run.mirror.status === "pending" && !isActiveStatus(run.status);
}

/** A way to continue a stopped run; every one of them is POST /api/runs/{id}/resume. */
export type RecoveryAction = {
  kind: "resume" | "retry-failed";
  /** Button text, and while the request is under way. */
  label: string;
  busyLabel: string;
  /** The run's state, in words, shown next to the button. */
  headline: string;
  detail: string;
};

/**
 * What the dashboard offers for a run that stopped. Every stopped state but "completed" can be resumed
 * (RESUMABLE_STATUSES in eval/domain.ts): interrupted and cancelled runs continue with the questions that have no
 * answer yet, a partial run retries its failed items, a failed run tries again (after the cause is fixed).
 */
export function recoveryAction(run: Pick<RunState, "status" | "errors">): RecoveryAction | null {
  if (run.status === "interrupted") {
    return {
      kind: "resume",
      label: "Resume",
      busyLabel: "Resuming…",
      headline: "Interrupted — not being executed",
      detail:
        "The run stopped before the end (the server stopped or the model server went away) and nothing is working on it. " +
        "Resume continues with the questions that have no answer yet.",
    };
  }
  if (run.status === "cancelled") {
    return {
      kind: "resume",
      label: "Resume",
      busyLabel: "Resuming…",
      headline: "Cancelled — not being executed",
      detail:
        "Someone cancelled this run before the end. Resume continues with the questions that have no answer yet; " +
        "the answers the run already has are kept.",
    };
  }
  if (run.status === "failed") {
    return {
      kind: "resume",
      label: "Try again",
      busyLabel: "Starting…",
      headline: "Failed — not being executed",
      detail:
        "The run could not go on (see the reason above). Fix the cause first, for example pull the missing model, " +
        "then try again: it continues with the questions that have no answer yet.",
    };
  }
  if (run.status === "partial") {
    const n = run.errors;
    return {
      kind: "retry-failed",
      label: "Retry failed items",
      busyLabel: "Retrying…",
      headline: `Finished with ${n} failed generation${n === 1 ? "" : "s"}`,
      detail: "Retry failed items generates those answers again; the answers the run already has are kept.",
    };
  }
  return null;
}

export const resumeUrl = (runId: string) => `/api/runs/${encodeURIComponent(runId)}/resume`;
export const mirrorUrl = (runId: string) => `/api/runs/${encodeURIComponent(runId)}/mirror`;
