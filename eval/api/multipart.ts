import "server-only";
import busboy from "busboy";
import { once } from "node:events";
import { slicePauses } from "@/lib/async/steps";

/** How much of the body is parsed at a time: a few milliseconds of work at most. */
const PIECE_BYTES = 64 * 1024;

/** A body busboy could not read as multipart/form-data (no boundary, cut off, malformed). */
export class MultipartError extends Error {
  override name = "MultipartError";
}

/**
 * Reads a multipart/form-data body (RFC 7578) with busboy as it arrives. The text of the first file part named
 * `fieldName` goes to the reader `openFile` returns, piece by piece, UTF-8 decoded across chunk boundaries; other
 * files are drained unread; text fields are collected (the first of each name wins). An error the reader throws
 * stops the reading (the rest of the body is cancelled) and is rethrown here.
 */
export async function streamMultipart(
  chunks: AsyncIterable<Uint8Array>,
  contentType: string,
  fieldName: string,
  openFile: (filename: string) => (text: string) => void,
): Promise<{ filename: string | null; fields: Map<string, string> }> {
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: { "content-type": contentType }, limits: { fields: 20, fieldSize: 64 * 1024 } });
  } catch (err) {
    throw new MultipartError((err as Error).message);
  }
  const fields = new Map<string, string>();
  let filename: string | null = null;
  let failure: { error: unknown } | null = null;
  let fileRead: Promise<unknown> = Promise.resolve();
  const guard = (run: () => void) => {
    if (failure) return;
    try {
      run();
    } catch (error) {
      failure = { error };
    }
  };

  parser.on("file", (name, stream, info) => {
    if (name !== fieldName || filename !== null) {
      stream.resume();
      return;
    }
    filename = info.filename || "dataset";
    const decoder = new TextDecoder("utf-8");
    const push = openFile(filename);
    fileRead = once(stream, "end").catch(() => {});
    stream.on("data", (bytes: Buffer) => guard(() => push(decoder.decode(bytes, { stream: true }))));
    stream.on("end", () => guard(() => push(decoder.decode())));
  });
  parser.on("field", (name, value) => {
    if (!fields.has(name)) fields.set(name, value);
  });
  const closed = new Promise<void>((resolve, reject) => {
    parser.on("close", resolve);
    parser.on("error", (err: Error) => reject(new MultipartError(err.message)));
  });
  closed.catch(() => {}); // awaited below unless the reader failed first

  const pause = slicePauses();
  reading: for await (const chunk of chunks) {
    // A body that arrived faster than it is parsed is read from a buffer without ever waiting for I/O, and may come
    // as one large chunk: it is fed in pieces, with the event loop given back between them.
    for (let at = 0; at < chunk.byteLength; at += PIECE_BYTES) {
      if (!parser.write(chunk.subarray(at, at + PIECE_BYTES))) await Promise.race([once(parser, "drain"), closed]);
      if (failure) break reading;
      await pause();
    }
  }
  if (!failure) {
    parser.end();
    await closed;
    await fileRead;
  }
  if (failure) throw (failure as { error: unknown }).error;
  return { filename, fields };
}
