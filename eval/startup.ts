import "server-only";
import { resumeUnfinishedRuns } from "@/eval/runner/jobs";
import { parseJudgeArg } from "@/eval/scorers/judge-factory";
import { getConfig } from "@/lib/config";
import { log } from "@/lib/observability/log";

/**
 * Evaluation's part of server start. MEDGPT_JUDGE's provider is checked against the judge registry (lib/config.ts
 * checks only its shape, since lib/ cannot see the registry), so a typo stops the server at start like any other bad
 * variable. Then runs that were interrupted by a crash or restart are resumed where they stopped.
 */
export function onEvalStart(): void {
  const judge = getConfig().defaultJudge;
  try {
    parseJudgeArg(judge);
  } catch (err) {
    log().fatal(`Invalid configuration:\n  MEDGPT_JUDGE=${JSON.stringify(judge)}: ${(err as Error).message}`);
    process.exit(1);
  }
  try {
    const resumed = resumeUnfinishedRuns();
    if (resumed)
      log().info({ event: "runs_resuming", runs: resumed }, `resuming ${resumed} unfinished evaluation run(s)`);
  } catch (err) {
    // A broken database must not keep the clinician form from serving; the dashboard will show the error.
    log().error({ err }, "could not resume evaluation runs");
  }
}
