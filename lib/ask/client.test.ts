import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/api-error";
import { streamAsk } from "@/lib/ask/client";
import type { AskEvent } from "@/lib/schemas/ask";
import { encodeSseFrame } from "@/lib/sse/encode";

/**
 * streamAsk against hand-built server responses (what a proxy or an older/newer server might send). The real route
 * is exercised through streamAsk in app/api/ask/*.test.ts.
 */

const BODY = { case: "A case?", options: { A: "a", B: "b" } };
const TIMINGS = { firstTokenMs: 1, totalMs: 2, evalCount: 1, tokensPerSecond: null };
const sse = (...frames: string[]) =>
  new Response(frames.join(""), { status: 200, headers: { "content-type": "text/event-stream" } });

async function run(
  respond: (url: string, init: RequestInit) => Response | Promise<Response>,
  opts: { signal?: AbortSignal; baseUrl?: string } = {},
) {
  const events: AskEvent[] = [];
  const seen: { url: string; init: RequestInit }[] = [];
  let error: unknown = null;
  try {
    await streamAsk(BODY, {
      ...opts,
      onEvent: (ev) => events.push(ev),
      fetchImpl: async (url, init) => {
        seen.push({ url: String(url), init: init! });
        return respond(String(url), init!);
      },
    });
  } catch (err) {
    error = err;
  }
  return { events, seen, error };
}

describe("streamAsk", () => {
  it("POSTs JSON to {baseUrl}/api/ask asking for a stream, whatever the body says", async () => {
    const { seen } = await run(() => sse(encodeSseFrame("done", { model: "m", backend: "b", timings: TIMINGS })), {
      baseUrl: "http://api.example",
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url).toBe("http://api.example/api/ask");
    expect(seen[0]!.init.method).toBe("POST");
    expect(new Headers(seen[0]!.init.headers).get("content-type")).toBe("application/json");
    expect(JSON.parse(String(seen[0]!.init.body))).toEqual({ ...BODY, stream: true });
  });

  it("delivers events in order and skips event types it does not know", async () => {
    const { events, error } = await run(() =>
      sse(
        encodeSseFrame("token", { text: "Hi" }),
        encodeSseFrame("progress", { pct: 50 }), // a newer server's event
        ": keep-alive\n\n",
        encodeSseFrame("answer", {
          letter: "B",
          text: "b",
          confidence: 0.9,
          probabilities: { A: 0.1, B: 0.9 },
          analysis: "",
          formatOk: false,
        }),
        encodeSseFrame("done", { model: "m", backend: "b", timings: TIMINGS }),
      ),
    );
    expect(error).toBeNull();
    expect(events.map((e) => e.event)).toEqual(["token", "answer", "done"]);
  });

  it("an HTTP error with the JSON envelope → ApiError with the server's code, fix and status", async () => {
    const { error } = await run(() =>
      Response.json({ error: { code: "model_not_found", message: "no model", fix: "ollama pull x" } }, { status: 404 }),
    );
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(404);
    expect((error as ApiError).body).toEqual({ code: "model_not_found", message: "no model", fix: "ollama pull x" });
  });

  it("a proxy's HTML error page → ApiError upstream_error naming the status", async () => {
    const { error } = await run(
      () => new Response("<html>Bad Gateway</html>", { status: 502, statusText: "Bad Gateway" }),
    );
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(502);
    expect((error as ApiError).body.code).toBe("upstream_error");
    expect((error as ApiError).body.message).toContain("502");
  });

  it("an in-band error event → ApiError after the tokens before it were delivered", async () => {
    const { events, error } = await run(() =>
      sse(
        encodeSseFrame("token", { text: "Hi" }),
        encodeSseFrame("error", { code: "upstream_error", message: "died", fix: "retry" }),
      ),
    );
    expect(events.map((e) => e.event)).toEqual(["token"]);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).body).toMatchObject({ code: "upstream_error", message: "died" });
  });

  it("a stream that ends without done → ApiError 'ended early', not silent success", async () => {
    const { error } = await run(() => sse(encodeSseFrame("token", { text: "Hi" })));
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).body.message).toMatch(/ended early/);
  });

  it("an event that is not JSON → ApiError protocol_error (reload), not a broken connection", async () => {
    const { events, error } = await run(() =>
      sse(encodeSseFrame("token", { text: "Hi" }), "event: token\ndata: {not json\n\n"),
    );
    expect(events.map((e) => e.event)).toEqual(["token"]);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(200);
    expect((error as ApiError).body).toEqual({
      code: "protocol_error",
      message: "The server sent an answer this page does not understand.",
      fix: "Reload the page (the server may have been updated).",
    });
  });

  it("an event of a known type in a shape this page does not expect → ApiError protocol_error", async () => {
    const { error } = await run(() =>
      sse(
        encodeSseFrame("answer", { letter: 7, verdict: "B" }),
        encodeSseFrame("done", { model: "m", backend: "b", timings: TIMINGS }),
      ),
    );
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).body.code).toBe("protocol_error");
  });

  it("a stream that breaks off while being read → ApiError network_error", async () => {
    const enc = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(enc.encode(encodeSseFrame("token", { text: "Hi" })));
        controller.error(new TypeError("terminated"));
      },
    });
    const { error } = await run(
      () => new Response(body, { status: 200, headers: { "content-type": "text/event-stream" } }),
    );
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).body.code).toBe("network_error");
    expect((error as ApiError).body.message).toMatch(/connection to the server broke/);
  });

  it("the server unreachable → ApiError network_error with no status", async () => {
    const { error } = await run(() => {
      throw new TypeError("fetch failed");
    });
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBeNull();
    expect((error as ApiError).body.code).toBe("network_error");
  });

  it("an abort before the response → AbortError, not an ApiError", async () => {
    const controller = new AbortController();
    controller.abort();
    const { error } = await run(
      () => {
        throw new DOMException("aborted", "AbortError");
      },
      { signal: controller.signal },
    );
    expect(error).not.toBeInstanceOf(ApiError);
    expect((error as Error).name).toBe("AbortError");
  });
});
