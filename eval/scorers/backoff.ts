import { JudgeError } from "@/eval/types";

/**
 * Capped exponential backoff for judge calls. The SDKs' own retries are switched off because groq-sdk obeys
 * `retry-after` with no upper bound: a daily-quota 429 (retry-after: 86400) would stall an eval run for a day.
 *
 * Retry-after policy: a wait the provider asks for is honoured up to `retryAfterCapMs`; a longer one means the
 * quota will not come back within this run, so we give up at once with a JudgeError that says how long the
 * provider asked to wait (waiting the cap and asking again would only burn attempts on the same 429).
 */

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
  /** Longest provider-requested wait we accept; longer → give up immediately. */
  retryAfterCapMs: number;
  signal?: AbortSignal;
  isRetryable: (err: unknown) => RetryDecision;
  sleep?: Sleep;
  /** [0, 1); injectable so tests can pin the jitter. */
  random?: () => number;
  /** Short text for an error in JudgeError messages; default err.message. */
  describe?: (err: unknown) => string;
  onRetry?: (info: RetryInfo) => void;
};

export type BackoffSettings = Pick<BackoffOptions, "maxAttempts" | "baseMs" | "maxDelayMs" | "retryAfterCapMs">;

/** 90 s covers Groq's per-minute limits (retry-after ≤ 60 s); anything longer is a daily quota. */
export const DEFAULT_BACKOFF: BackoffSettings = { maxAttempts: 6, baseMs: 1_000, maxDelayMs: 30_000, retryAfterCapMs: 90_000 };

export function abortError(): DOMException {
  return new DOMException("The judge call was aborted.", "AbortError");
}

export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(abortError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });

/** Settles with `p`, or rejects with an AbortError as soon as `signal` aborts, whichever comes first. */
function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    p.catch(() => {}); // the loser's rejection must not go unhandled
    return Promise.reject(abortError());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError());
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

/**
 * Parses `retry-after-ms` (milliseconds) or `retry-after` (seconds, or an HTTP date) the way groq-sdk does.
 * Returns undefined when absent or unreadable; never negative.
 */
export function parseRetryAfter(get: (name: string) => string | null | undefined, now: number = Date.now()): number | undefined {
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

const defaultDescribe = (err: unknown) => (err instanceof Error ? err.message : String(err));
const secs = (ms: number) => (ms >= 10_000 ? String(Math.round(ms / 1000)) : (ms / 1000).toFixed(1).replace(/\.0$/, ""));

/**
 * Runs `fn(attempt)` (attempt is 1-based) until it resolves, retrying what `isRetryable` allows. Throws JudgeError
 * (with the attempt count and the last error as cause) when it gives up, and an AbortError as soon as `signal`
 * aborts — including during a wait or while `fn` is in flight, even if `fn` ignores the signal.
 */
export async function withBackoff<T>(fn: (attempt: number) => Promise<T>, opts: BackoffOptions): Promise<T> {
  const signal = opts.signal ?? new AbortController().signal;
  const sleep = opts.sleep ?? realSleep;
  const random = opts.random ?? Math.random;
  const describe = opts.describe ?? defaultDescribe;
  const maxAttempts = Math.max(1, Math.trunc(opts.maxAttempts));

  for (let attempt = 1; ; attempt++) {
    if (signal.aborted) throw abortError();
    let error: unknown;
    try {
      return await raceAbort(fn(attempt), signal);
    } catch (err) {
      if (signal.aborted) throw abortError();
      error = err;
    }

    const decision = opts.isRetryable(error);
    if (!decision.retry) throw new JudgeError(describe(error), attempt, { cause: error });
    if (attempt >= maxAttempts) {
      throw new JudgeError(`gave up after ${attempt} attempts: ${describe(error)}`, attempt, { cause: error });
    }

    let delayMs: number;
    if (decision.retryAfterMs !== undefined) {
      const asked = Math.max(0, decision.retryAfterMs);
      if (asked > opts.retryAfterCapMs) {
        throw new JudgeError(
          `the provider asked to wait ${secs(asked)} s before retrying, more than the ${secs(opts.retryAfterCapMs)} s cap; ` +
            `gave up instead of stalling the run (likely a daily quota): ${describe(error)}`,
          attempt,
          { cause: error },
        );
      }
      // Jitter on top of the requested wait so that parallel workers told the same retry-after do not return together.
      delayMs = Math.min(opts.retryAfterCapMs, asked + random() * opts.baseMs);
    } else {
      // Full jitter (AWS architecture blog): uniform in [0, min(cap, base·2^(n−1))).
      delayMs = random() * Math.min(opts.maxDelayMs, opts.baseMs * 2 ** (attempt - 1));
    }

    opts.onRetry?.({ attempt, delayMs, error });
    await raceAbort(sleep(delayMs, signal), signal);
  }
}

/** What a judge provider takes: the settings (defaults: DEFAULT_BACKOFF) plus the test seams. */
export type JudgeBackoffOptions = Partial<BackoffSettings> & Pick<BackoffOptions, "sleep" | "random" | "onRetry">;

/** withBackoff as the judge providers use it: `backoff` over DEFAULT_BACKOFF, with the provider's own retry policy. */
export function withJudgeBackoff<T>(
  fn: (attempt: number) => Promise<T>,
  backoff: JudgeBackoffOptions | undefined,
  policy: Pick<BackoffOptions, "isRetryable" | "describe">,
  signal: AbortSignal,
): Promise<T> {
  return withBackoff(fn, { ...DEFAULT_BACKOFF, ...backoff, ...policy, signal });
}
