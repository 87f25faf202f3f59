/**
 * Loads a Hugging Face dataset through the public datasets server (`GET /rows`, at most 100 rows a page) and
 * returns it as JSONL text, one row object per line, for importDataset: a dataset fetched here and the same
 * dataset downloaded as JSONL go through the same checks.
 *
 * Failures say what to do: an unknown or gated dataset, rate limiting (429, retried a bounded number of times,
 * honouring retry-after up to a cap), and no network at all (the usual case on an offline machine, where the
 * way out is to download the JSONL elsewhere and upload it).
 */
import { z } from "zod";
import { GaveUpError, parseRetryAfter, withBackoff } from "@/lib/async/backoff";

export const HF_DATASETS_SERVER = "https://datasets-server.huggingface.co";
/** The datasets server refuses `length` above 100. */
export const HF_MAX_PAGE_SIZE = 100;

export type FetchHfOptions = {
  /** Default https://datasets-server.huggingface.co */
  baseUrl?: string;
  /** Default "default" */
  config?: string;
  /** Default "train" */
  split?: string;
  /** Rows per request, 1–100 (default 100). */
  pageSize?: number;
  /** Fetch at most this many rows (default: all). */
  limit?: number;
  fetchImpl?: typeof fetch;
  signal?: AbortSignal;
  /** After each page: rows fetched so far, and how many will be fetched in all. */
  onProgress?: (done: number, total: number) => void;
  /** Retries of one page after 429 or 502/503/504 (default 4). */
  maxRetries?: number;
  /** Longest wait before a retry (default 30 s). A longer retry-after gives up at once instead of stalling. */
  maxRetryWaitMs?: number;
  /** Per-request timeout (default 60 s). */
  requestTimeoutMs?: number;
};

/** A failure talking to the datasets server; `status` is the HTTP status, or null when no response came. */
export class HfDatasetError extends Error {
  override name = "HfDatasetError";
  /** The name itself is malformed: nothing was asked of Hugging Face. */
  readonly badName: boolean;
  constructor(
    message: string,
    readonly status: number | null,
    options?: { cause?: unknown; badName?: boolean },
  ) {
    super(message, options);
    this.badName = options?.badName ?? false;
  }
}

const FALLBACK = "download the dataset as JSONL and upload it instead";

const RowsResponse = z.object({
  rows: z.array(
    z.object({
      row_idx: z.number().int(),
      row: z.record(z.string(), z.unknown()),
      truncated_cells: z.array(z.string()).optional(),
    }),
  ),
  num_rows_total: z.number().int().nonnegative(),
});
type RowsPage = z.infer<typeof RowsResponse>;

/** "owner/name", or the dataset's page URL on huggingface.co. */
function datasetName(input: string): string {
  const name = input
    .trim()
    .replace(/^https?:\/\/huggingface\.co\/datasets\//, "")
    .replace(/\/+$/, "");
  if (!/^[A-Za-z0-9][\w.-]*(\/[\w.-]+)?$/.test(name)) {
    throw new HfDatasetError(
      `"${input}" is not a Hugging Face dataset name; expected "owner/name", e.g. "mamachang/medical-reasoning"`,
      null,
    );
  }
  return name;
}

export async function fetchHfDataset(name: string, opts: FetchHfOptions = {}): Promise<string> {
  const dataset = datasetName(name);
  const config = opts.config ?? "default";
  const split = opts.split ?? "train";
  const pageSize = Math.min(HF_MAX_PAGE_SIZE, Math.max(1, Math.trunc(opts.pageSize ?? HF_MAX_PAGE_SIZE)));
  const limit = opts.limit === undefined ? Infinity : Math.max(0, Math.trunc(opts.limit));
  const ctx: RequestContext = {
    what: `Hugging Face dataset "${dataset}" (config "${config}", split "${split}")`,
    baseUrl: (opts.baseUrl ?? HF_DATASETS_SERVER).replace(/\/+$/, ""),
    fetchImpl: opts.fetchImpl ?? fetch,
    signal: opts.signal,
    maxRetries: Math.max(0, opts.maxRetries ?? 4),
    maxRetryWaitMs: Math.max(0, opts.maxRetryWaitMs ?? 30_000),
    requestTimeoutMs: opts.requestTimeoutMs ?? 60_000,
  };

  const lines: string[] = [];
  let total = Infinity;
  while (lines.length < Math.min(limit, total)) {
    const offset = lines.length;
    const length = Math.min(pageSize, limit - offset);
    const query = new URLSearchParams({ dataset, config, split, offset: String(offset), length: String(length) });
    const page = await getPage(`${ctx.baseUrl}/rows?${query}`, ctx);
    total = page.num_rows_total;
    for (const { row_idx, row, truncated_cells } of page.rows.slice(0, length)) {
      // The server shortens very large cells; importing a cut-off case or answer would silently corrupt the item.
      if (truncated_cells && truncated_cells.length > 0) {
        throw new HfDatasetError(
          `${ctx.what}: row ${row_idx} came back with truncated cells (${truncated_cells.join(", ")}), so it cannot be imported faithfully; ${FALLBACK}`,
          null,
        );
      }
      lines.push(JSON.stringify(row));
    }
    opts.onProgress?.(lines.length, Math.min(limit, total));
    // An empty page before the reported total (the server's count can include rows it cannot serve) ends the
    // loop instead of asking for the same offset forever.
    if (page.rows.length === 0) break;
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

type RequestContext = {
  what: string;
  baseUrl: string;
  fetchImpl: typeof fetch;
  signal: AbortSignal | undefined;
  maxRetries: number;
  maxRetryWaitMs: number;
  requestTimeoutMs: number;
};

const RETRYABLE = new Set([429, 502, 503, 504]);

/** A non-2xx answer, thrown inside the retry loop so the one retry engine can decide on it. */
class StatusAnswer extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly retryAfterMs: number | undefined,
  ) {
    super(`HTTP ${status}`);
  }
}

/** One page, retried by the shared engine (lib/async/backoff) on 429/5xx; HF's own policy is only what is retryable. */
async function getPage(url: string, ctx: RequestContext): Promise<RowsPage> {
  try {
    return await withBackoff(
      async () => {
        const { status, body, retryAfterMs } = await request(url, ctx);
        if (status >= 200 && status < 300) return parsePage(body, ctx);
        throw new StatusAnswer(status, errorDetail(body), retryAfterMs);
      },
      {
        maxAttempts: ctx.maxRetries + 1,
        baseMs: 1000,
        maxDelayMs: ctx.maxRetryWaitMs,
        retryAfterCapMs: ctx.maxRetryWaitMs,
        signal: ctx.signal,
        isRetryable: (err) =>
          err instanceof StatusAnswer && RETRYABLE.has(err.status)
            ? { retry: true, retryAfterMs: err.retryAfterMs }
            : { retry: false },
      },
    );
  } catch (err) {
    // An abort rejects with the caller's own reason, as an aborted request does (see request()).
    if (ctx.signal?.aborted) throw ctx.signal.reason ?? err;
    if (!(err instanceof GaveUpError)) throw err;
    const last = err.cause;
    if (!(last instanceof StatusAnswer)) throw last;
    if (err.reason === "retry_after_over_cap") {
      throw new HfDatasetError(
        `the Hugging Face datasets server is rate-limiting requests (HTTP ${last.status}) and asks to wait ${Math.ceil((err.retryAfterMs ?? 0) / 1000)} s; ` +
          `try again later, or ${FALLBACK}`,
        last.status,
      );
    }
    throw statusError(last.status, last.detail, err.attempts, ctx);
  }
}

function statusError(status: number, detail: string, attempts: number, ctx: RequestContext): HfDatasetError {
  const server = detail ? `: ${detail}` : "";
  if (status === 401 || status === 403 || status === 404) {
    return new HfDatasetError(
      `${ctx.what} was not found, or it is private or gated (HTTP ${status}${server}). Check the name, config and split on huggingface.co, or ${FALLBACK}`,
      status,
    );
  }
  if (status === 429) {
    return new HfDatasetError(
      `the Hugging Face datasets server is still rate-limiting requests (HTTP 429) after ${attempts} attempts; try again later, or ${FALLBACK}`,
      status,
    );
  }
  if (status >= 500) {
    return new HfDatasetError(
      `the Hugging Face datasets server failed (HTTP ${status}${server}) after ${attempts} attempt${attempts > 1 ? "s" : ""}; try again later, or ${FALLBACK}`,
      status,
    );
  }
  return new HfDatasetError(
    `the Hugging Face datasets server refused the request for ${ctx.what} (HTTP ${status}${server})`,
    status,
  );
}

/** One GET with a per-request timeout; network failures become a message that names the offline fallback. */
async function request(
  url: string,
  ctx: RequestContext,
): Promise<{ status: number; body: string; retryAfterMs: number | undefined }> {
  const timeout = AbortSignal.timeout(ctx.requestTimeoutMs);
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, timeout]) : timeout;
  try {
    const res = await ctx.fetchImpl(url, { signal, headers: { accept: "application/json" } });
    const body = await res.text();
    return { status: res.status, body, retryAfterMs: parseRetryAfter((h) => res.headers.get(h)) };
  } catch (error) {
    if (ctx.signal?.aborted) throw ctx.signal.reason ?? error;
    if (timeout.aborted) {
      throw new HfDatasetError(
        `the Hugging Face datasets server did not answer within ${Math.round(ctx.requestTimeoutMs / 1000)} s (${ctx.baseUrl}); try again later, or ${FALLBACK}`,
        null,
        { cause: error },
      );
    }
    throw new HfDatasetError(
      `could not reach the Hugging Face datasets server at ${ctx.baseUrl} (${describeNetworkError(error)}). No internet access? Download the JSONL and upload it instead.`,
      null,
      { cause: error },
    );
  }
}

/** undici's TypeError("fetch failed") hides the useful part (ECONNREFUSED, ENOTFOUND…) in its cause. */
function describeNetworkError(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (cause && typeof cause.code === "string") return cause.code;
  if (cause && typeof cause.message === "string") return cause.message;
  return error instanceof Error ? error.message : String(error);
}

function parsePage(body: string, ctx: RequestContext): RowsPage {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new HfDatasetError(
      `unexpected reply from the datasets server for ${ctx.what}: not JSON (${JSON.stringify(body.slice(0, 80))})`,
      null,
    );
  }
  const page = RowsResponse.safeParse(json);
  if (!page.success) {
    throw new HfDatasetError(
      `unexpected reply from the datasets server for ${ctx.what}: ${page.error.issues[0]?.message ?? "wrong shape"}`,
      null,
    );
  }
  return page.data;
}

/** The server's `{"error": "…"}` text, or the start of a non-JSON body. */
function errorDetail(body: string): string {
  try {
    const json = JSON.parse(body) as unknown;
    if (typeof json === "object" && json !== null && typeof (json as { error?: unknown }).error === "string") {
      return (json as { error: string }).error;
    }
  } catch {
    // not JSON: fall through to the raw text
  }
  return body.trim().slice(0, 200);
}
