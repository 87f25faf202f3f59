/**
 * Runs once when the server starts. Validating the configuration here makes a bad environment variable
 * stop the server immediately, with a message naming the variable, instead of failing on the first request.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { loadConfig, ConfigError } = await import("@/lib/config");
  try {
    loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`[medgpt] ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
}
