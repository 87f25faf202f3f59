import { BROWSER_ERRORS, isAbortError, type BrowserErrorCode, type ErrorCode } from "@/lib/error-codes";
import type { ErrorBody } from "@/lib/schemas/ask";
import { ErrorEnvelopeReader } from "@/lib/schemas/read";

// Browser code: client-safe imports only (no zod, not the server's error table), see lib/schemas/read.ts.

/**
 * The browser's one error class, for the clinician form and the dashboard alike: the server's
 * `{code, message, fix, issues?}` body, or one the page made itself (network_error, protocol_error, …), with the
 * HTTP status when there was an answer (null when there was none).
 */
export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly body: ErrorBody,
    readonly status: number | null,
  ) {
    super(body.message);
  }

  /** An error the page assigns itself, with the fix from the error table (the browser's own codes) or its own. */
  static client(code: BrowserErrorCode, message: string, status?: number | null): ApiError;
  static client(code: ErrorCode, message: string, status: number | null, fix: string): ApiError;
  static client(code: ErrorCode, message: string, status: number | null = null, fix?: string): ApiError {
    return new ApiError({ code, message, fix: fix ?? BROWSER_ERRORS[code as BrowserErrorCode].fix }, status);
  }
}

/** Any thrown value as an error body the error panel can show. */
export function errorBodyOf(err: unknown): ErrorBody {
  if (err instanceof ApiError) return err.body;
  return {
    code: "client_error",
    message: err instanceof Error ? err.message : String(err),
    fix: BROWSER_ERRORS.client_error.fix,
  };
}

/** The caller's own stop (Stop pressed, page left): not an error to show. */
export const isAbortLike = (err: unknown, signal?: AbortSignal) => isAbortError(err) || signal?.aborted === true;

/**
 * The server's error body. An error answer without our envelope came from something between the page and MedGPT
 * (a proxy's error page, a load balancer's 502): upstream_error, naming the status. Both the ask client and the
 * dashboard's client use it, so both pages say the same thing about the same failure.
 */
export async function errorFromResponse(res: Response): Promise<ApiError> {
  const json: unknown = await res.json().catch(() => null);
  const parsed = ErrorEnvelopeReader.safeParse(json);
  if (parsed.success) return new ApiError(parsed.data.error, res.status);
  return ApiError.client(
    "upstream_error",
    `The server answered ${res.status} ${res.statusText}`.trim() + ".",
    res.status,
    "Retry in a moment.",
  );
}
