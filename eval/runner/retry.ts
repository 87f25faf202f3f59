import { isAbortError } from "@/lib/async/abort";
import { GaveUpError, withBackoff } from "@/lib/async/backoff";
import { AppError } from "@/lib/errors";

export type RetryPolicy = { maxAttempts: number; baseMs: number; maxDelayMs: number };
const DEFAULT_POLICY: RetryPolicy = { maxAttempts: 4, baseMs: 1000, maxDelayMs: 10_000 };

export type RetryOutcome<T> =
  | { kind: "ok"; value: T; attempts: number }
  | { kind: "failed"; error: string; attempts: number }
  | { kind: "fatal"; error: AppError }
  | { kind: "aborted" };

// Retrying cannot bring back a missing model; an abort-shaped error is the run stopping, not a failure.
const isRetryable = (err: unknown) => ({
  retry: !isAbortError(err) && !(err instanceof AppError && err.code === "model_not_found"),
});

const describe = (err: unknown) =>
  err instanceof AppError ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);

/**
 * One item's generation with capped backoff. A missing model is fatal for the whole run (retrying cannot help),
 * and so is a model server that stays unreachable (the run is interrupted, not filled with errors); other
 * failures are retried, then recorded as the item's error with its reason.
 */
export async function generateWithRetry<T>(
  fn: () => Promise<T>,
  signal: AbortSignal,
  policy: Partial<RetryPolicy> = {},
): Promise<RetryOutcome<T>> {
  let attempts = 0;
  try {
    const value = await withBackoff(
      (attempt) => {
        attempts = attempt;
        return fn();
      },
      { ...DEFAULT_POLICY, ...policy, signal, isRetryable },
    );
    return { kind: "ok", value, attempts };
  } catch (err) {
    if (signal.aborted || isAbortError(err)) return { kind: "aborted" };
    if (!(err instanceof GaveUpError)) throw err;
    const last = err.cause;
    if (isAbortError(last)) return { kind: "aborted" };
    if (last instanceof AppError && (err.reason === "not_retryable" || last.code === "upstream_unavailable")) {
      return { kind: "fatal", error: last };
    }
    return { kind: "failed", error: describe(last), attempts: err.attempts };
  }
}
