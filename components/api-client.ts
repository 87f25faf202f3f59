import { ApiError, errorFromResponse, isAbortLike } from "@/lib/api-error";
import { BROWSER_ERRORS } from "@/lib/error-codes";
import type { Parser } from "@/lib/schemas/read";

// The browser side of the JSON API, shared by the clinician page and the dashboard.

export { ApiError, errorBodyOf } from "@/lib/api-error";

/**
 * Fetches an API endpoint and parses the JSON answer with `schema`: a zod schema (the dashboard) or a zod-free reader
 * from lib/schemas/read-ask.ts (the clinician page, which loads no zod). A non-2xx answer throws an ApiError with the
 * server's error body; an answer that does not match the schema throws one too (the API and the page disagree,
 * which is a bug worth seeing rather than a blank page).
 */
export async function apiJson<T>(url: string, schema: Parser<T>, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { cache: "no-store", ...init });
  } catch (err) {
    if (isAbortLike(err)) throw err;
    throw ApiError.client("network_error", "Could not reach the MedGPT server.");
  }
  if (!res.ok) throw await errorFromResponse(res);
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new ApiError(
      {
        code: "unexpected_response",
        message: `The answer of ${url.split("?")[0]} does not have the expected shape.`,
        fix: BROWSER_ERRORS.unexpected_response.fix,
        issues: parsed.error.issues.slice(0, 10).map((i) => ({
          path: i.path.map((p) => (typeof p === "symbol" ? String(p) : p)),
          message: i.message,
        })),
      },
      res.status,
    );
  }
  return parsed.data;
}

/** POST JSON (or nothing) and parse the answer. */
export function apiPost<T>(url: string, schema: Parser<T>, body?: unknown): Promise<T> {
  return apiJson(url, schema, {
    method: "POST",
    ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
}
