import { z } from "zod";
import { ErrorEnvelopeSchema, type ErrorBody } from "@/lib/schemas/ask";
import { DatasetViewSchema } from "@/eval/api/schemas";

/** An API failure carrying the server's `{code, message, fix, issues?}` body (or one made up for network failures). */
export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(body.message);
  }
}

export { DatasetsListSchema, RunsListSchema } from "@/eval/api/schemas";
export type DatasetView = z.infer<typeof DatasetViewSchema>;

/** Any thrown value as an error body the ErrorPanel can show. */
export function errorBodyOf(err: unknown): ErrorBody {
  if (err instanceof ApiError) return err.body;
  return {
    code: "client_error",
    message: err instanceof Error ? err.message : String(err),
    fix: "Reload the page; if it persists, check the browser console.",
  };
}

/**
 * Fetches an admin API endpoint and parses the JSON answer with `schema`. A non-2xx answer throws an ApiError
 * with the server's error body; an answer that does not match the schema throws one too (the API and the
 * dashboard disagree, which is a bug worth seeing rather than a blank page).
 */
export async function apiJson<T>(url: string, schema: z.ZodType<T>, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { cache: "no-store", ...init });
  } catch (err) {
    if (err instanceof Error && err.name === "AbortError") throw err;
    throw new ApiError(0, {
      code: "network_error",
      message: "Could not reach the MedGPT server.",
      fix: "Check that the server is running and your network connection, then retry.",
    });
  }
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const envelope = ErrorEnvelopeSchema.safeParse(json);
    throw new ApiError(
      res.status,
      envelope.success
        ? envelope.data.error
        : {
            code: `http_${res.status}`,
            message: `The server answered ${res.status} ${res.statusText}`.trim() + ".",
            fix: "Retry; if it persists, check the server logs.",
          },
    );
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new ApiError(res.status, {
      code: "unexpected_response",
      message: `The answer of ${url.split("?")[0]} does not have the expected shape.`,
      fix: "The dashboard and the API disagree; report this with the issues below.",
      issues: parsed.error.issues.slice(0, 10).map((i) => ({
        path: i.path.map((p) => (typeof p === "symbol" ? String(p) : p)),
        message: i.message,
      })),
    });
  }
  return parsed.data;
}

/** POST JSON (or nothing) and parse the answer. */
export function apiPost<T>(url: string, schema: z.ZodType<T>, body?: unknown): Promise<T> {
  return apiJson(url, schema, {
    method: "POST",
    ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
}

export const isActiveStatus = (status: string | undefined) => status === "queued" || status === "running";

/** Live views poll at this interval while a run is queued or running. */
export const POLL_MS = 1500;
