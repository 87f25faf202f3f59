import { describe, expect, it } from "vitest";
import { readSseFrames, type SseFrame } from "@/lib/sse/decode";
import { encodeSseFrame, SSE_KEEPALIVE } from "@/lib/sse/encode";

const enc = new TextEncoder();

/** A body delivering `bytes` in the given chunk sizes (cycled), like a network would. */
function body(bytes: Uint8Array, sizes: number[] = [bytes.byteLength]): ReadableStream<Uint8Array> {
  let at = 0;
  let k = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.byteLength) return controller.close();
      const n = Math.max(1, sizes[k++ % sizes.length]!);
      controller.enqueue(bytes.slice(at, at + n));
      at += n;
    },
  });
}

async function decode(text: string | Uint8Array, sizes?: number[]): Promise<SseFrame[]> {
  const out: SseFrame[] = [];
  for await (const f of readSseFrames(body(typeof text === "string" ? enc.encode(text) : text, sizes))) out.push(f);
  return out;
}

// What the server sends: tokens with multi-byte text, an answer and done, with a keep-alive in between.
const events: [string, unknown][] = [
  ["token", { text: "Sarcoïdose — " }],
  ["token", { text: "über 🫁 lungs\n" }],
  ["token", { text: "日本語" }],
  ["answer", { letter: "B", text: "Sarcoidosis", analysis: "a\nb", formatOk: true }],
  [
    "done",
    { model: "m", backend: "ollama", timings: { firstTokenMs: 1, totalMs: 2, evalCount: 3, tokensPerSecond: 4 } },
  ],
];
const wire = events.map(([e, d], i) => (i === 2 ? SSE_KEEPALIVE : "") + encodeSseFrame(e, d)).join("");
const expected = events.map(([event, data]) => ({ event, data: JSON.stringify(data) }));

describe("readSseFrames", () => {
  it("decodes what encodeSseFrame produces, keep-alive comments ignored", async () => {
    expect(await decode(wire)).toEqual(expected);
  });

  it("is independent of chunk boundaries: byte by byte, splitting multi-byte characters", async () => {
    expect(await decode(wire, [1])).toEqual(expected);
  });

  it.each([[2], [3], [5], [7], [13], [64]])("is independent of chunk boundaries: %i-byte chunks", async (n) => {
    expect(await decode(wire, [n])).toEqual(expected);
  });

  it("is independent of chunk boundaries: irregular chunks", async () => {
    expect(await decode(wire, [1, 4, 2, 9, 1, 1, 30, 3])).toEqual(expected);
  });

  it("joins multi-line data with newlines", async () => {
    expect(await decode("event: note\ndata: first\ndata: second\ndata:\ndata: fourth\n\n", [1])).toEqual([
      { event: "note", data: "first\nsecond\n\nfourth" },
    ]);
  });

  it("defaults the event name to message, strips one leading space only, ignores unknown fields", async () => {
    expect(await decode("data:  two spaces\nid: 7\nretry: 1000\nfoo: bar\n\n")).toEqual([
      { event: "message", data: " two spaces" },
    ]);
    expect(await decode("data:nospace\n\n")).toEqual([{ event: "message", data: "nospace" }]);
  });

  it("ignores comment lines, including inside a frame", async () => {
    expect(await decode(": hello\n\nevent: token\n: keep-alive\ndata: {}\n\n: bye\n\n", [1])).toEqual([
      { event: "token", data: "{}" },
    ]);
  });

  it("drops frames without data (an event name alone is not an event)", async () => {
    expect(await decode("event: ping\n\nevent: token\ndata: x\n\n")).toEqual([{ event: "token", data: "x" }]);
  });

  it("accepts CRLF line endings in one chunk", async () => {
    expect(await decode(wire.replaceAll("\n", "\r\n"))).toEqual(expected);
  });

  it("accepts bare CR line endings", async () => {
    expect(await decode(wire.replaceAll("\n", "\r"))).toEqual(expected);
  });

  /** A CRLF split across two chunks ("…\r" | "\n…") must not read as a blank line that ends the frame early. */
  it("accepts CRLF line endings split across chunks (byte by byte)", async () => {
    expect(await decode(wire.replaceAll("\n", "\r\n"), [1])).toEqual(expected);
  });

  it("yields a final frame that lacks the closing blank line", async () => {
    expect(await decode("event: token\ndata: a\n\nevent: done\ndata: b")).toEqual([
      { event: "token", data: "a" },
      { event: "done", data: "b" },
    ]);
  });

  it("yields frames as they arrive, before the stream ends", async () => {
    let push!: (s: string) => void;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        push = (s) => controller.enqueue(enc.encode(s));
      },
    });
    const it = readSseFrames(stream)[Symbol.asyncIterator]();
    push("event: token\ndata: 1\n\nevent: tok");
    expect((await it.next()).value).toEqual({ event: "token", data: "1" });
    push("en\ndata: 2\n\n");
    expect((await it.next()).value).toEqual({ event: "token", data: "2" });
    await it.return?.(undefined);
  });

  it("an empty body yields nothing", async () => {
    expect(await decode("")).toEqual([]);
  });
});
