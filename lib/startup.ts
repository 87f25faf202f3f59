import "server-only";
import { ConfigError, getConfig } from "@/lib/config";
import { log } from "@/lib/observability/log";
import { installClientAddressGuard } from "@/lib/security/client-address";

/**
 * Server start, the application's part. Validating the configuration here makes a bad environment variable stop
 * the server immediately, with a message naming the variable, instead of failing on the first request.
 * Evaluation's own start-up (resuming runs) lives in eval/startup.ts; instrumentation.ts calls both.
 */
export function onServerStart(): void {
  try {
    installClientAddressGuard(getConfig().trustProxy);
  } catch (err) {
    if (err instanceof ConfigError) {
      log().fatal(err.message);
      process.exit(1);
    }
    throw err;
  }
}
