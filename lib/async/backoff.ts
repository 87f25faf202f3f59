import { abortError, abortReason, raceAbort } from "./abort";

/**
 * The one retry engine: capped exponential backoff with full jitter, honouring (up to a cap) a wait the provider
 * asks for. Callers keep only their policy: what is worth retrying, and what giving up means to them. Isomorphic.
 *
 * Why not p-retry (9.x): its delay comes only from its own formula (minTimeout × factor^n, optionally randomised),
 * so a provider's Retry-After can only be added on top by sleeping inside onFailedAttempt, which doubles the wait,
 * cannot cap it, and is not cut short by the signal; and an aborted signal does not interrupt a wait in progress
 * on our terms (we reject at once with the abort reason, which the runner and the judges rely on). Wrapping it to
 * get both would be more code than this engine.
 */

/** Whether an error is worth another try, and how long the provider asked us to wait first, if it did. */
export type RetryDecision = { retry: boolean; retryAfterMs?: number };

/** Must resolve after `ms`; may reject early when `signal` aborts (withBackoff does not rely on it). */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

export type RetryInfo = { attempt: number; delayMs: number; error: unknown };

export type BackoffOptions = {
  /** Total tries including the first. */
  maxAttempts: number;
  /** First backoff ceiling; doubles each retry. */
  baseMs: number;
  /** Ceiling of an exponential backoff step (not of a provider's retry-after). */
  maxDelayMs: number;
  /** Longest provider-requested wait we accept; a longer one gives up at once. Default: no limit. */
  retryAfterCapMs?: number;
  signal?: AbortSignal;
  isRetryable: (err: unknown) => RetryDecision;
  sleep?: Sleep;
  /** [0, 1); injectable so tests can pin the jitter. */
  random?: () => number;
  onRetry?: (info: RetryInfo) => void;
};

export type GiveUpReason = "not_retryable" | "attempts_exhausted" | "retry_after_over_cap";

/** Why withBackoff stopped trying; `cause` is the last attempt's error. */
export class GaveUpError extends Error {
  override name = "GaveUpError";
  constructor(
    readonly reason: GiveUpReason,
    readonly attempts: number,
    cause: unknown,
    /** For "retry_after_over_cap": the wait the provider asked for. */
    readonly retryAfterMs?: number,
  ) {
    const what = cause instanceof Error ? cause.message : String(cause);
    const why =
      reason === "not_retryable"
        ? "not retryable"
        : reason === "attempts_exhausted"
          ? `gave up after ${attempts} attempts`
          : `asked to wait ${retryAfterMs} ms, over the cap`;
    super(`${why}: ${what}`, { cause });
  }
}

/** A timer that stops early on abort, rejecting as an aborted operation does (see abortReason). */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(abortReason(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });

/**
 * Parses `retry-after-ms` (milliseconds) or `retry-after` (seconds, or an HTTP date) the way groq-sdk does.
 * Returns undefined when absent or unreadable; never negative.
 */
export function parseRetryAfter(
  get: (name: string) => string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  const ms = get("retry-after-ms");
  if (ms) {
    const v = Number.parseFloat(ms);
    if (Number.isFinite(v)) return Math.max(0, v);
  }
  const ra = get("retry-after");
  if (ra) {
    const secs = Number(ra.trim());
    if (ra.trim() !== "" && Number.isFinite(secs)) return Math.max(0, secs * 1000);
    const at = Date.parse(ra);
    if (Number.isFinite(at)) return Math.max(0, at - now);
  }
  return undefined;
}

const NEVER_ABORTED = new AbortController().signal;

/**
 * Runs `fn(attempt)` (attempt is 1-based) until it resolves, retrying what `isRetryable` allows. Throws GaveUpError
 * when it stops trying, and an AbortError as soon as `signal` aborts — including during a wait or while `fn` is
 * in flight, even if `fn` or `sleep` ignores the signal. Whatever the abort's reason, callers see an AbortError,
 * so a single `isAbortError` check tells a stop from a failure.
 */
export async function withBackoff<T>(fn: (attempt: number) => Promise<T>, opts: BackoffOptions): Promise<T> {
  const signal = opts.signal ?? NEVER_ABORTED;
  const sleep = opts.sleep ?? realSleep;
  const random = opts.random ?? Math.random;
  const cap = opts.retryAfterCapMs ?? Number.POSITIVE_INFINITY;
  const maxAttempts = Math.max(1, Math.trunc(opts.maxAttempts));

  for (let attempt = 1; ; attempt++) {
    if (signal.aborted) throw abortError();
    let error: unknown;
    try {
      return await raceAbort(fn(attempt), signal);
    } catch (err) {
      // An error that the abort itself caused is the abort, not a failure to retry.
      if (signal.aborted) throw abortError();
      error = err;
    }

    const decision = opts.isRetryable(error);
    if (!decision.retry) throw new GaveUpError("not_retryable", attempt, error);
    if (attempt >= maxAttempts) throw new GaveUpError("attempts_exhausted", attempt, error);

    let delayMs: number;
    if (decision.retryAfterMs !== undefined) {
      const asked = Math.max(0, decision.retryAfterMs);
      // Waiting the cap and asking again would only burn attempts on the same refusal.
      if (asked > cap) throw new GaveUpError("retry_after_over_cap", attempt, error, asked);
      // Jitter on top of the requested wait so that parallel workers told the same retry-after do not return together.
      delayMs = Math.min(cap, asked + random() * opts.baseMs);
    } else {
      // Full jitter (AWS architecture blog): uniform in [0, min(cap, base·2^(n−1))).
      delayMs = random() * Math.min(opts.maxDelayMs, opts.baseMs * 2 ** (attempt - 1));
    }

    opts.onRetry?.({ attempt, delayMs, error });
    try {
      await raceAbort(sleep(delayMs, signal), signal);
    } catch (err) {
      if (signal.aborted) throw abortError();
      throw err;
    }
  }
}
