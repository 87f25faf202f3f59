/** Runs once when the server starts: the application checks its configuration, then evaluation resumes its runs. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { onServerStart } = await import("@/lib/startup");
    onServerStart();
    const { onEvalStart } = await import("@/eval/startup");
    onEvalStart();
  }
}
