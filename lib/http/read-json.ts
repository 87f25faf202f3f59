import "server-only";
import type { z } from "zod";
import { getConfig } from "@/lib/config";
import { AppError } from "@/lib/errors";

export const MAX_BODY_BYTES = 64 * 1024;

export function isJsonContentType(value: string | null): boolean {
  if (!value) return false;
  const mime = value.split(";")[0]!.trim().toLowerCase();
  return mime === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(mime);
}

/**
 * The request body, at most `limit` bytes: a declared Content-Length above it is refused at once, and a chunked
 * body without one is cut off (and cancelled) as soon as it passes the limit rather than buffered whole.
 * Throws AppError payload_too_large; a body that breaks off while being read rejects with the stream's error.
 */
export async function readBodyBytes(
  request: Request,
  limit: number,
  timeoutMs: number = getConfig().bodyTimeoutMs,
): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of bodyChunks(request, limit, timeoutMs)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/**
 * readBodyBytes as chunks, as they arrive, for bodies read while they come in (dataset uploads). Leaving the loop
 * early cancels the rest of the body.
 */
export async function* bodyChunks(
  request: Request,
  limit: number,
  timeoutMs: number = getConfig().bodyTimeoutMs,
): AsyncGenerator<Uint8Array, void, undefined> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  if (!request.body) return;
  const reader = request.body.getReader();
  // A client that stops sending holds a connection (and a stopping server) for nothing: the whole body must arrive
  // within timeoutMs, however it trickles.
  let timer: NodeJS.Timeout | undefined;
  let expired: AppError | null = null;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      expired = new AppError(
        "request_timeout",
        `The request body did not arrive within ${Math.round(timeoutMs / 1000)} s.`,
      );
      reject(expired);
      void reader.cancel().catch(() => {});
    }, timeoutMs);
    timer.unref?.();
  });
  stalled.catch(() => {}); // it may fire while the caller is between reads; the next read sees it
  let total = 0;
  let finished = false;
  try {
    for (;;) {
      const { value, done } = await Promise.race([reader.read(), stalled]);
      // Cancelling on timeout resolves reads as "done", which must not pass for a whole body.
      if (expired) throw expired;
      if (done) {
        finished = true;
        return;
      }
      total += value.byteLength;
      if (total > limit) throw tooLarge(limit);
      yield value;
    }
  } finally {
    clearTimeout(timer);
    if (!finished) await reader.cancel().catch(() => {});
  }
}

/** Reads at most `limit` bytes as UTF-8 text. */
async function readCapped(request: Request, limit: number): Promise<string> {
  const bytes = await readBodyBytes(request, limit);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new AppError("invalid_json", "The request body is not valid UTF-8.");
  }
}

const tooLarge = (limit: number) =>
  new AppError("payload_too_large", `The request body exceeds ${Math.round(limit / 1024)} KB.`);

/** Field paths for clients; an unknown key gets its own path so a form can point at it. */
export function issuesOf(error: z.ZodError) {
  return error.issues.flatMap((i) => {
    const path = i.path.map((p) => (typeof p === "symbol" ? String(p) : p));
    if (i.code === "unrecognized_keys")
      return i.keys.map((key) => ({ path: [...path, key], message: `unknown field "${key}"` }));
    return [{ path, message: i.message }];
  });
}

/** Content type → size cap → JSON → schema. Each failure is a 4xx AppError, never a 500. */
export async function readJsonBody<S extends z.ZodType>(request: Request, schema: S): Promise<z.output<S>> {
  if (!isJsonContentType(request.headers.get("content-type"))) {
    throw new AppError("unsupported_media_type", "The request body must be JSON (Content-Type: application/json).");
  }
  let text: string;
  try {
    text = await readCapped(request, MAX_BODY_BYTES);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError("invalid_json", "The request body could not be read completely.", { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new AppError("invalid_json", `The request body is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = issuesOf(parsed.error);
    const first = issues[0];
    const where = first && first.path.length ? `${first.path.join(".")}: ` : "";
    throw new AppError("invalid_request", `Invalid request: ${where}${first?.message ?? "invalid body"}`, { issues });
  }
  return parsed.data;
}
