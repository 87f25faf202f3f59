import { AppError, isAbortError } from "@/lib/errors";

export type RetryPolicy = { maxAttempts: number; baseMs: number; maxDelayMs: number };
const DEFAULT_POLICY: RetryPolicy = { maxAttempts: 4, baseMs: 1000, maxDelayMs: 10_000 };

export type RetryOutcome<T> =
  | { kind: "ok"; value: T; attempts: number }
  | { kind: "failed"; error: string; attempts: number }
  | { kind: "fatal"; error: AppError }
  | { kind: "aborted" };

/** Full-jitter exponential delay, capped: attempt 1 → up to base, 2 → up to 2·base, … */
export const backoffDelay = (attempt: number, p: RetryPolicy) =>
  Math.random() * Math.min(p.maxDelayMs, p.baseMs * 2 ** (attempt - 1));

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

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
  const p = { ...DEFAULT_POLICY, ...policy };
  let lastError = "unknown error";
  let lastAppError: AppError | null = null;
  for (let attempt = 1; attempt <= p.maxAttempts; attempt++) {
    if (signal.aborted) return { kind: "aborted" };
    try {
      return { kind: "ok", value: await fn(), attempts: attempt };
    } catch (err) {
      if (signal.aborted || isAbortError(err)) return { kind: "aborted" };
      if (err instanceof AppError && err.code === "model_not_found") return { kind: "fatal", error: err };
      lastAppError = err instanceof AppError ? err : null;
      lastError = err instanceof AppError ? `${err.code}: ${err.message}` : (err as Error).message;
      if (attempt < p.maxAttempts) await sleep(backoffDelay(attempt, p), signal);
    }
  }
  if (lastAppError?.code === "upstream_unavailable") return { kind: "fatal", error: lastAppError };
  return { kind: "failed", error: lastError, attempts: p.maxAttempts };
}
