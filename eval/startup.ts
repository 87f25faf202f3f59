import "server-only";
import { resumeUnfinishedRuns } from "@/eval/runner/jobs";

/** Evaluation's part of server start: runs that were interrupted by a crash or restart are resumed where they stopped. */
export function resumeRunsAtStart(): void {
  try {
    const resumed = resumeUnfinishedRuns();
    if (resumed) console.info(`[medgpt] resuming ${resumed} unfinished evaluation run(s)`);
  } catch (err) {
    // A broken database must not keep the clinician form from serving; the dashboard will show the error.
    console.error("[medgpt] could not resume evaluation runs:", err);
  }
}
