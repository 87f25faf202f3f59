/**
 * The one way this codebase makes, recognises and waits out aborts. Isomorphic: no server-only imports, so browser
 * code may use it too.
 */

// lib/errors.ts owns the recognition rule (it also knows groq-sdk's APIUserAbortError); re-exported so that
// everything about aborts can be imported from one place.
export { isAbortError } from "@/lib/errors";

/** What fetch and the platform throw on abort: a DOMException named "AbortError". */
export function abortError(message = "The operation was aborted."): DOMException {
  return new DOMException(message, "AbortError");
}

/**
 * What an aborted operation rejects with, as `signal.throwIfAborted()` would: the signal's reason when it is an
 * Error (a TimeoutError from AbortSignal.timeout stays a TimeoutError), else an AbortError.
 */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : abortError();
}

/**
 * Settles with `promise`, or rejects with `abortReason(signal)` as soon as `signal` aborts, whichever comes first.
 * The work behind `promise` goes on (it may be shared, or ignore the signal); its late rejection is swallowed so
 * that it cannot surface as an unhandled rejection.
 */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(abortReason(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(err);
      },
    );
  });
}
