/**
 * The error codes, and the part of the error table the browser uses: client-safe and small, so the clinician page
 * does not carry the server's fixes (it shows the fix that comes in each error answer). lib/errors.ts completes the
 * table with every server code's status and fix; its types make sure the two lists stay one.
 */

/** Codes the server sends, in the order the error table lists them. */
export const SERVER_ERROR_CODES = [
  "invalid_json",
  "invalid_request",
  "unsupported_media_type",
  "payload_too_large",
  "not_found",
  "unauthorized",
  "admin_disabled",
  "csrf_rejected",
  "rate_limited",
  "busy",
  "invalid_api_key",
  "api_key_required",
  "conflict",
  "request_timeout",
  "invalid_dataset",
  "method_not_allowed",
  "model_not_found",
  "upstream_unavailable",
  "upstream_error",
  "upstream_timeout",
  "internal_error",
] as const;
export type ServerErrorCode = (typeof SERVER_ERROR_CODES)[number];

/** Codes the browser assigns itself; the server never sends them (status 0: no HTTP answer of ours carries one). */
export const BROWSER_ERRORS = {
  network_error: { status: 0, fix: "Check that the server is running and your connection, then retry." },
  protocol_error: { status: 0, fix: "Reload the page (the server may have been updated)." },
  unexpected_response: { status: 0, fix: "The page and the API disagree; report this with the details below." },
  client_error: { status: 0, fix: "Reload the page; if it persists, check the browser console." },
} as const satisfies Record<string, { status: 0; fix: string }>;
export type BrowserErrorCode = keyof typeof BROWSER_ERRORS;

export type ErrorCode = ServerErrorCode | BrowserErrorCode;
export const ERROR_CODES = [...SERVER_ERROR_CODES, ...(Object.keys(BROWSER_ERRORS) as BrowserErrorCode[])] as [
  ErrorCode,
  ...ErrorCode[],
];

/** A caller's abort, in any of its shapes (fetch's AbortError; groq-sdk's APIUserAbortError, whose name is "Error"). */
export function isAbortError(err: unknown): boolean {
  return err instanceof Error && (err.name === "AbortError" || err.constructor.name === "APIUserAbortError");
}
