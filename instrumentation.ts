/**
 * Runs once when the server starts: logs go to stdout as JSON lines (a CLI keeps its stdout for its own output, so
 * stderr is the logger's default) and Node's process metrics start; then the application checks its configuration,
 * then evaluation resumes its runs.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { log, setLogSink } = await import("@/lib/observability/log");
    setLogSink("stdout");
    const { collectProcessMetrics } = await import("@/lib/observability/metrics");
    collectProcessMetrics();
    const { onServerStart } = await import("@/lib/startup");
    onServerStart();
    log().info({ event: "server_started", node: process.version }, "server started");
    const { onEvalStart } = await import("@/eval/startup");
    onEvalStart();
  }
}
