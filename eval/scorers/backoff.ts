import { JudgeError } from "@/eval/types";
import { GaveUpError, withBackoff, type BackoffOptions } from "@/lib/async/backoff";
import { log } from "@/lib/observability/log";
import { recordJudgeRetry } from "@/lib/observability/metrics";

/**
 * The judges' retry policy over lib/async/backoff. The SDKs' own retries are switched off because groq-sdk obeys
 * `retry-after` with no upper bound: a daily-quota 429 (retry-after: 86400) would stall an eval run for a day.
 *
 * Retry-after policy: a wait the provider asks for is honoured up to `retryAfterCapMs`; a longer one means the
 * quota will not come back within this run, so we give up at once with a JudgeError that says how long the
 * provider asked to wait (waiting the cap and asking again would only burn attempts on the same 429).
 */

export type JudgeRetryOptions = BackoffOptions & {
  /** Longest provider-requested wait we accept; longer → give up immediately. */
  retryAfterCapMs: number;
  /** Short text for an error in JudgeError messages; default err.message. */
  describe?: (err: unknown) => string;
};

export type BackoffSettings = Pick<JudgeRetryOptions, "maxAttempts" | "baseMs" | "maxDelayMs" | "retryAfterCapMs">;

/** 90 s covers Groq's per-minute limits (retry-after ≤ 60 s); anything longer is a daily quota. */
export const DEFAULT_BACKOFF: BackoffSettings = {
  maxAttempts: 6,
  baseMs: 1_000,
  maxDelayMs: 30_000,
  retryAfterCapMs: 90_000,
};

const defaultDescribe = (err: unknown) => (err instanceof Error ? err.message : String(err));
const secs = (ms: number) =>
  ms >= 10_000 ? String(Math.round(ms / 1000)) : (ms / 1000).toFixed(1).replace(/\.0$/, "");

function judgeError(gaveUp: GaveUpError, opts: JudgeRetryOptions): JudgeError {
  const describe = opts.describe ?? defaultDescribe;
  const error = gaveUp.cause;
  const message =
    gaveUp.reason === "not_retryable"
      ? describe(error)
      : gaveUp.reason === "attempts_exhausted"
        ? `gave up after ${gaveUp.attempts} attempts: ${describe(error)}`
        : `the provider asked to wait ${secs(gaveUp.retryAfterMs ?? 0)} s before retrying, more than the ${secs(opts.retryAfterCapMs)} s cap; ` +
          `gave up instead of stalling the run (likely a daily quota): ${describe(error)}`;
  return new JudgeError(message, gaveUp.attempts, { cause: error });
}

/**
 * Runs `fn(attempt)` with backoff. Throws JudgeError (with the attempt count and the last error as cause) when it
 * gives up, and an AbortError as soon as `signal` aborts. Each retry is counted (medgpt_judge_retries_total) and logged
 * at debug level.
 */
export async function retryJudgeCall<T>(fn: (attempt: number) => Promise<T>, opts: JudgeRetryOptions): Promise<T> {
  const describe = opts.describe ?? defaultDescribe;
  const onRetry: BackoffOptions["onRetry"] = (info) => {
    recordJudgeRetry();
    log().debug(
      { event: "judge_retry", attempt: info.attempt, delayMs: info.delayMs, error: describe(info.error) },
      "judge retry",
    );
    opts.onRetry?.(info);
  };
  try {
    return await withBackoff(fn, { ...opts, onRetry });
  } catch (err) {
    throw err instanceof GaveUpError ? judgeError(err, opts) : err;
  }
}

/** What a judge provider takes: the settings (defaults: DEFAULT_BACKOFF) plus the test seams. */
export type JudgeBackoffOptions = Partial<BackoffSettings> & Pick<BackoffOptions, "sleep" | "random" | "onRetry">;

/** retryJudgeCall as the judge providers use it: `backoff` over DEFAULT_BACKOFF, with the provider's own retry policy. */
export function withJudgeBackoff<T>(
  fn: (attempt: number) => Promise<T>,
  backoff: JudgeBackoffOptions | undefined,
  policy: Pick<JudgeRetryOptions, "isRetryable" | "describe">,
  signal: AbortSignal,
): Promise<T> {
  return retryJudgeCall(fn, { ...DEFAULT_BACKOFF, ...backoff, ...policy, signal });
}
