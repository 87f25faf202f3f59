import "server-only";
import { runInSlices, type Steps } from "@/lib/async/steps";

export type MultipartPart = { name: string; filename: string | null; body: Buffer };

/**
 * The parts of a multipart/form-data body (RFC 7578), found with Buffer searches rather than the Fetch API's
 * formData(), which parses a 45 MB upload in one go and holds up every other request meanwhile (about 0.3 s here).
 * Null when the body is not well-formed multipart for its boundary.
 */
export function multipartParts(bytes: Uint8Array, contentType: string): MultipartPart[] | null {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary) return null;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let at = buf.indexOf(delimiter);
  if (at < 0) return null;
  for (;;) {
    at += delimiter.length;
    if (buf[at] === 0x2d && buf[at + 1] === 0x2d) return parts; // "--": the closing delimiter
    if (buf[at] !== 0x0d || buf[at + 1] !== 0x0a) return null;
    const headersEnd = buf.indexOf("\r\n\r\n", at + 2);
    if (headersEnd < 0) return null;
    const headers = buf.toString("utf8", at + 2, headersEnd);
    const next = buf.indexOf(Buffer.from(`\r\n--${boundary}`), headersEnd + 4);
    if (next < 0) return null;
    const disposition = /^content-disposition:\s*form-data(.*)$/im.exec(headers)?.[1] ?? "";
    const name = /;\s*name="([^"]*)"/i.exec(disposition)?.[1];
    if (name === undefined) return null;
    const filename = /;\s*filename="([^"]*)"/i.exec(disposition)?.[1] ?? null;
    parts.push({ name, filename, body: buf.subarray(headersEnd + 4, next) });
    at = next + 2;
  }
}

/** UTF-8 text of a large buffer, decoded in 1 MB slices with the event loop given back in between. */
export function decodeInSlices(body: Buffer, sliceBytes = 1 << 20): Promise<string> {
  return runInSlices(decodeSteps(body, sliceBytes));
}

function* decodeSteps(body: Buffer, sliceBytes: number): Steps<string> {
  const decoder = new TextDecoder("utf-8");
  let text = "";
  for (let start = 0; start < body.length; start += sliceBytes) {
    text += decoder.decode(body.subarray(start, start + sliceBytes), { stream: true });
    yield;
  }
  return text + decoder.decode();
}
