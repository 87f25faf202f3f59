import { describe, expect, it } from "vitest";
import { decodeInSlices, multipartParts } from "./multipart";

/** A body exactly as a browser's FormData sends it. */
async function encoded(form: FormData) {
  const request = new Request("http://localhost/upload", { method: "POST", body: form });
  return { bytes: new Uint8Array(await request.arrayBuffer()), type: request.headers.get("content-type")! };
}

describe("multipartParts", () => {
  it("reads a browser's form: the file with its name and bytes, and the text fields", async () => {
    const form = new FormData();
    form.append("name", "  My set  ");
    form.append("file", new Blob(['{"a":1}\n{"a":2}\r\nüñí'], { type: "application/jsonl" }), "set.jsonl");
    const { bytes, type } = await encoded(form);
    const parts = multipartParts(bytes, type)!;
    expect(parts.map((p) => [p.name, p.filename])).toEqual([
      ["name", null],
      ["file", "set.jsonl"],
    ]);
    expect(parts[1]!.body.toString("utf8")).toBe('{"a":1}\n{"a":2}\r\nüñí');
    expect(parts[0]!.body.toString("utf8")).toBe("  My set  ");
  });

  it("is null for a body that is not multipart for its boundary", async () => {
    const { bytes, type } = await encoded(new FormData());
    expect(multipartParts(new TextEncoder().encode("hello"), type)).toBeNull();
    expect(multipartParts(bytes, "multipart/form-data")).toBeNull();
    expect(
      multipartParts(new TextEncoder().encode("--x\r\nno blank line"), "multipart/form-data; boundary=x"),
    ).toBeNull();
  });
});

describe("decodeInSlices", () => {
  it("decodes UTF-8 split at any byte, a multi-byte character across a slice boundary included", async () => {
    const text = "é".repeat(10) + "∑".repeat(7) + "ok";
    const bytes = Buffer.from(text, "utf8");
    for (const slice of [1, 2, 3, 5, 64]) expect(await decodeInSlices(bytes, slice)).toBe(text);
  });
});
