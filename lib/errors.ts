import { BROWSER_ERRORS, ERROR_CODES, isAbortError, type ErrorCode, type ServerErrorCode } from "@/lib/error-codes";

/**
 * The error-code table: every failure the app reports has a stable code, an HTTP status and a default fix.
 * Route handlers, the SSE `error` event and the UI all use these codes. Isomorphic: no server-only imports.
 * The code list and the browser's own codes are in lib/error-codes.ts, which the browser imports instead of this
 * file (it needs neither the server's fixes nor AppError).
 */

const SERVER_ERRORS = {
  invalid_json: { status: 400, fix: "Send a valid JSON body." },
  invalid_request: { status: 400, fix: "Correct the fields listed in `issues` and send again." },
  unsupported_media_type: { status: 415, fix: "Send the body as JSON with `Content-Type: application/json`." },
  payload_too_large: { status: 413, fix: "Shorten the case or options; the body limit is 64 KB." },
  not_found: { status: 404, fix: "Check the URL." },
  unauthorized: { status: 401, fix: "Log in at /admin/login, or send `Authorization: Bearer <ADMIN_TOKEN>`." },
  admin_disabled: {
    status: 403,
    fix: "Set ADMIN_TOKEN (16+ characters) in the server's environment and restart it to enable the admin area.",
  },
  csrf_rejected: { status: 403, fix: "Use MedGPT's own pages, or send the admin token as a bearer from scripts." },
  rate_limited: { status: 429, fix: "Wait the number of seconds in Retry-After, then try again." },
  busy: { status: 503, fix: "The server is at capacity; retry after the seconds in Retry-After." },
  invalid_api_key: { status: 401, fix: "Check the API key, or ask an administrator for a new one." },
  api_key_required: { status: 401, fix: "Send Authorization: Bearer <your API key>; an administrator can create one." },
  conflict: { status: 409, fix: "Reload to see the current state." },
  request_timeout: { status: 408, fix: "Send the whole body promptly; check the connection." },
  invalid_dataset: { status: 422, fix: "Fix the rows listed in `issues` (line numbers refer to the uploaded file)." },
  method_not_allowed: { status: 405, fix: "Check the HTTP method in the API docs at /docs." },
  model_not_found: { status: 404, fix: "Pull the model into Ollama, or pick another model." },
  upstream_unavailable: {
    status: 503,
    fix: "Start Ollama (`ollama serve`, or `./medgpt.sh up`) and check OLLAMA_HOST.",
  },
  upstream_error: { status: 502, fix: "Check the model server's logs; retry in a moment." },
  upstream_timeout: {
    status: 504,
    fix: "The model server did not answer in time. It may be loading the model or overloaded; retry, or raise MEDGPT_UPSTREAM_TIMEOUT_MS.",
  },
  internal_error: { status: 500, fix: "Retry; if it persists, check the server logs." },
} as const satisfies Record<ServerErrorCode, { status: number; fix: string }>;

/** Every code: the server's, then the browser's own (lib/error-codes.ts). */
export const ERROR_TABLE = { ...SERVER_ERRORS, ...BROWSER_ERRORS } as const satisfies Record<
  ErrorCode,
  { status: number; fix: string }
>;

export { ERROR_CODES, isAbortError, type ErrorCode };

export type ErrorIssue = { path: (string | number)[]; message: string };

export class AppError extends Error {
  override name = "AppError";
  readonly code: ErrorCode;
  readonly fix: string;
  readonly issues: ErrorIssue[] | undefined;

  /** Seconds the client should wait before trying again (rate_limited, busy): sent as Retry-After. */
  readonly retryAfterS: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { fix?: string; issues?: ErrorIssue[]; cause?: unknown; retryAfterS?: number } = {},
  ) {
    super(message, { cause: opts.cause });
    this.code = code;
    this.fix = opts.fix ?? ERROR_TABLE[code].fix;
    this.issues = opts.issues;
    this.retryAfterS = opts.retryAfterS;
  }

  get status(): number {
    return ERROR_TABLE[this.code].status;
  }

  toBody() {
    return {
      code: this.code,
      message: this.message,
      fix: this.fix,
      ...(this.issues ? { issues: this.issues } : {}),
    };
  }
}

/** Anything thrown becomes an AppError; unknown failures become internal_error without leaking internals. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  return new AppError("internal_error", "Something went wrong on the server.", { cause: err });
}

/**
 * Where internal errors are reported: the server's logger, which registers itself here when it loads
 * (lib/observability/log.ts; this module is isomorphic and cannot import it), else the console.
 */
function reportInternalError(err: unknown): void {
  const report = (globalThis as { __medgptReportInternalError?: (err: unknown) => void }).__medgptReportInternalError;
  if (report) report(err);
  else console.error("[medgpt] internal error:", err);
}

/** The single place an error becomes an HTTP response: `{ error: { code, message, fix, issues? } }`. */
export function errorResponse(err: unknown, headers?: HeadersInit): Response {
  const appError = toAppError(err);
  if (appError.code === "internal_error") reportInternalError(appError.cause ?? appError);
  const all = new Headers(headers);
  if (appError.retryAfterS !== undefined) all.set("Retry-After", String(Math.max(1, Math.ceil(appError.retryAfterS))));
  return Response.json({ error: appError.toBody() }, { status: appError.status, headers: all });
}
