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
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  // A client that stops sending holds a connection (and a stopping server) for nothing: the whole body must arrive
  // within timeoutMs, however it trickles.
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // Reject before cancelling: cancelling resolves the pending read as "done", which would pass for a whole body.
      reject(
        new AppError("request_timeout", `The request body did not arrive within ${Math.round(timeoutMs / 1000)} s.`),
      );
      void reader.cancel().catch(() => {});
    }, timeoutMs);
    timer.unref?.();
  });
  try {
    return await readAll();
  } finally {
    clearTimeout(timer);
  }

  async function readAll(): Promise<Uint8Array<ArrayBuffer>> {
    for (;;) {
      const { value, done } = await Promise.race([reader.read(), stalled]);
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel();
        throw tooLarge(limit);
      }
      chunks.push(value);
    }
    return Buffer.concat(chunks);
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
