/**
 * Request ids (X-Request-Id), shared by proxy.ts and the route layer. Isomorphic: no Node-only imports, so the proxy's
 * bundle stays small.
 */

export const REQUEST_ID_HEADER = "X-Request-Id";

const SANE = /^[A-Za-z0-9._-]{1,64}$/;

/** A caller's X-Request-Id when it is sane (1–64 of A–Z a–z 0–9 . _ -), else a new one. */
export function requestIdFrom(incoming: string | null): string {
  return incoming !== null && SANE.test(incoming) ? incoming : crypto.randomUUID();
}
