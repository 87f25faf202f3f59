import { describe, expect, it } from "vitest";
import { MultipartError, streamMultipart } from "./multipart";

/** A body exactly as a browser's FormData sends it. */
async function encoded(form: FormData) {
  const request = new Request("http://localhost/upload", { method: "POST", body: form });
  return { bytes: new Uint8Array(await request.arrayBuffer()), type: request.headers.get("content-type")! };
}

/** The bytes in pieces of `size`, as a network would deliver them. */
async function* inPieces(bytes: Uint8Array, size: number) {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function read(bytes: Uint8Array, type: string, size = 1 << 16) {
  let text = "";
  const out = await streamMultipart(inPieces(bytes, size), type, "file", () => (piece) => (text += piece));
  return { ...out, text };
}

describe("streamMultipart", () => {
  it("reads a browser's form: the file's name and text, and the text fields", async () => {
    const form = new FormData();
    form.append("name", "  My set  ");
    form.append("file", new Blob(['{"a":1}\n{"a":2}\r\nüñí'], { type: "application/jsonl" }), "set.jsonl");
    const { bytes, type } = await encoded(form);
    const out = await read(bytes, type);
    expect(out.filename).toBe("set.jsonl");
    expect(out.text).toBe('{"a":1}\n{"a":2}\r\nüñí');
    expect(out.fields.get("name")).toBe("  My set  ");
  });

  it("decodes UTF-8 split at any byte, a multi-byte character across a chunk boundary included", async () => {
    const text = "é".repeat(10) + "∑".repeat(7) + "🩺ok";
    const form = new FormData();
    form.append("file", new Blob([text]), "x.csv");
    const { bytes, type } = await encoded(form);
    for (const size of [1, 2, 3, 5, 64]) expect((await read(bytes, type, size)).text).toBe(text);
  });

  it("has no file when the form has none", async () => {
    const form = new FormData();
    form.append("name", "only a name");
    const { bytes, type } = await encoded(form);
    expect((await read(bytes, type)).filename).toBeNull();
  });

  it("refuses a body that is not multipart for its boundary", async () => {
    const { bytes, type } = await encoded(new FormData());
    await expect(read(new TextEncoder().encode("hello"), type)).rejects.toBeInstanceOf(MultipartError);
    await expect(read(bytes, "multipart/form-data")).rejects.toBeInstanceOf(MultipartError);
    await expect(
      read(new TextEncoder().encode("--x\r\nno blank line"), "multipart/form-data; boundary=x"),
    ).rejects.toBeInstanceOf(MultipartError);
  });

  it("stops reading when the file's reader throws, and rethrows its error", async () => {
    const form = new FormData();
    form.append("file", new Blob(["x".repeat(1 << 20)]), "big.txt");
    const { bytes, type } = await encoded(form);
    let pulled = 0;
    async function* counted() {
      for await (const piece of inPieces(bytes, 1 << 12)) {
        pulled += piece.length;
        yield piece;
      }
    }
    const refusal = new Error("not a dataset");
    await expect(
      streamMultipart(counted(), type, "file", () => () => {
        throw refusal;
      }),
    ).rejects.toBe(refusal);
    expect(pulled).toBeLessThan(bytes.length / 4);
  });
});
