/** Scripted failures for tests of the retry engine and the policies over it. */

export class Transient extends Error {
  constructor(readonly retryAfterMs?: number) {
    super(retryAfterMs === undefined ? "transient" : `rate limited (${retryAfterMs} ms)`);
  }
}
export class Fatal extends Error {}

/** Settings with pinned jitter (0.5) under which Transient errors are retried and anything else is not. */
export const SCRIPTED_RETRY = {
  maxAttempts: 5,
  baseMs: 1000,
  maxDelayMs: 3000,
  retryAfterCapMs: 60_000,
  random: () => 0.5,
  isRetryable: (err: unknown) =>
    err instanceof Transient ? { retry: true, retryAfterMs: err.retryAfterMs } : { retry: false },
};

/** Calls fail with the given errors in order, then succeed with "ok". */
export function script(...errors: Error[]) {
  const attempts: number[] = [];
  const fn = async (attempt: number) => {
    attempts.push(attempt);
    const e = errors[attempt - 1];
    if (e) throw e;
    return "ok";
  };
  return { attempts, fn };
}
