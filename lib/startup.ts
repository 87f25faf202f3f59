import "server-only";
import { ConfigError, getConfig } from "@/lib/config";

/**
 * Server start. Validating the configuration here makes a bad environment variable stop the server
 * immediately, with a message naming the variable, instead of failing on the first request. Then runs that
 * were interrupted by a crash or restart are resumed where they stopped.
 */
export async function onServerStart(): Promise<void> {
  try {
    getConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`[medgpt] ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  try {
    const { resumeUnfinishedRuns } = await import("@/eval/runner/jobs");
    const resumed = resumeUnfinishedRuns();
    if (resumed) console.info(`[medgpt] resuming ${resumed} unfinished evaluation run(s)`);
  } catch (err) {
    // A broken database must not keep the clinician form from serving; the dashboard will show the error.
    console.error("[medgpt] could not resume evaluation runs:", err);
  }
}
