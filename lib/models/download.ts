import "server-only";
import { createHash, type Hash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { rename, rm, stat } from "node:fs/promises";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { AppError } from "@/lib/errors";

/**
 * Downloads one content-addressed blob to `dest`, resumably: bytes go to `dest.partial`; a later call sends
 * `Range: bytes=<partial size>-` and appends. The sha256 is computed incrementally (the existing prefix is
 * re-hashed first) and the size and digest of the whole file are checked before the rename to `dest`.
 * Redirects are followed by hand so that the Range header always reaches the CDN.
 */

export type BlobDownload = {
  url: string;
  dest: string;
  /** "sha256:<64 hex>" */
  digest: string;
  size: number;
  fetchImpl?: typeof fetch;
  signal?: AbortSignal;
  onProgress?: (received: number, total: number) => void;
  /** Called when the partial prefix is re-hashed and when the final digest is checked. */
  onVerifying?: () => void;
};

/** The transfer stopped early; the partial file is kept so that the next attempt resumes. */
export class InterruptedDownloadError extends AppError {
  constructor(received: number, total: number, cause?: unknown) {
    super("upstream_error", `The download stopped after ${received} of ${total} bytes.`, {
      fix: "Run the pull again: it resumes where it stopped.",
      cause,
    });
  }
}

export const OFFLINE_FIX =
  "Offline? Set MEDGPT_GGUF=/path/model.gguf, or start Ollama (OLLAMA_HOST) and use it instead.";

/** fetch failures (refused, DNS, reset before headers) become upstream_unavailable with the offline hint. */
export function networkError(what: string, err: unknown): AppError {
  const code = (err as { cause?: { code?: unknown } })?.cause?.code;
  return new AppError("upstream_unavailable", `Cannot reach ${what}${typeof code === "string" ? ` (${code})` : ""}.`, {
    fix: OFFLINE_FIX,
    cause: err,
  });
}

const isAbort = (err: unknown) => err instanceof Error && (err.name === "AbortError" || err.name === "TimeoutError");

/** GET with redirects followed manually (at most 5), keeping every header on each hop. */
export async function fetchFollowing(url: string, init: RequestInit, fetchImpl: typeof fetch): Promise<Response> {
  let current = url;
  for (let hop = 0; hop <= 5; hop++) {
    const res = await fetchImpl(current, { ...init, redirect: "manual" });
    const location = res.headers.get("location");
    if (res.status < 300 || res.status >= 400 || !location) return res;
    await res.body?.cancel();
    current = new URL(location, current).toString();
  }
  throw new AppError("upstream_error", `Too many redirects fetching ${url}.`);
}

async function sizeOf(file: string): Promise<number> {
  return stat(file).then(
    (s) => s.size,
    () => 0,
  );
}

async function hashPrefix(file: string, hash: Hash, signal?: AbortSignal): Promise<void> {
  await pipeline(createReadStream(file), new Transform({ transform: (c: Buffer, _e, cb) => (hash.update(c), cb()) }), {
    signal,
  });
}

/** Downloads and verifies; returns `dest`. Throws AppError (InterruptedDownloadError when resumable). */
export async function downloadBlob(d: BlobDownload): Promise<string> {
  const fetchImpl = d.fetchImpl ?? fetch;
  const partial = `${d.dest}.partial`;
  const expectedHex = d.digest.replace(/^sha256:/, "");
  let offset = await sizeOf(partial);
  if (offset > d.size) {
    await rm(partial, { force: true });
    offset = 0;
  }
  let hash = createHash("sha256");
  if (offset > 0) {
    d.onVerifying?.();
    await hashPrefix(partial, hash, d.signal);
  }
  if (offset < d.size) {
    let res: Response;
    try {
      res = await fetchFollowing(
        d.url,
        { headers: offset > 0 ? { Range: `bytes=${offset}-` } : {}, signal: d.signal },
        fetchImpl,
      );
    } catch (err) {
      if (err instanceof AppError || isAbort(err)) throw err;
      throw networkError(`the model download at ${new URL(d.url).host}`, err);
    }
    if (res.status === 200 && offset > 0) {
      offset = 0; // the server ignored Range: start over
      hash = createHash("sha256");
    } else if (res.status === 206) {
      const start = /^bytes (\d+)-/.exec(res.headers.get("content-range") ?? "")?.[1];
      if (Number(start) !== offset) {
        await res.body?.cancel();
        await rm(partial, { force: true });
        throw new InterruptedDownloadError(
          0,
          d.size,
          new Error(`unexpected Content-Range ${res.headers.get("content-range")}`),
        );
      }
    } else if (res.status !== 200) {
      await res.body?.cancel();
      if (res.status === 416) await rm(partial, { force: true });
      throw new AppError("upstream_error", `The model download answered HTTP ${res.status}.`, {
        fix: res.status === 416 ? "Run the pull again (the partial file was reset)." : "Retry later.",
      });
    }
    if (!res.body) throw new InterruptedDownloadError(offset, d.size);
    let received = offset;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        hash.update(chunk);
        received += chunk.length;
        d.onProgress?.(received, d.size);
        cb(null, chunk);
      },
    });
    try {
      await pipeline(
        Readable.fromWeb(res.body as WebReadableStream<Uint8Array>),
        meter,
        createWriteStream(partial, { flags: offset > 0 ? "a" : "w" }),
        { signal: d.signal },
      );
    } catch (err) {
      if (isAbort(err)) throw err;
      throw new InterruptedDownloadError(received, d.size, err);
    }
    if (received < d.size) throw new InterruptedDownloadError(received, d.size);
  }
  d.onVerifying?.();
  const size = await sizeOf(partial);
  const actualHex = hash.digest("hex");
  if (size !== d.size || actualHex !== expectedHex) {
    await rm(partial, { force: true });
    throw new AppError(
      "upstream_error",
      `The downloaded model does not match the registry: expected ${d.size} bytes with sha256:${expectedHex}, got ${size} bytes with sha256:${actualHex}. The download was deleted.`,
      { fix: "Run the pull again; if it keeps failing, the registry or a proxy is serving bad data." },
    );
  }
  await rename(partial, d.dest);
  return d.dest;
}
