import { afterAll, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";
import { streamAsk } from "@/lib/ask/client";
import { jsonRequest } from "@/test-support/api";
import { ASK_URL, CASE, OPTIONS, startAskStandin } from "@/test-support/ask";
import type { OllamaStandin } from "@/test-support/ollama-standin";
import { collectSse } from "@/test-support/sse";
import { POST } from "./route";

/**
 * A user pressing Stop or closing the tab must stop generation on the model server, not just stop reading:
 * Ollama keeps a GPU busy for a generation whose connection stays open.
 */

let standin: OllamaStandin;
let consoleError: MockInstance<typeof console.error>;

beforeAll(async () => {
  standin = await startAskStandin();
  vi.stubEnv("MEDGPT_UPSTREAM_TIMEOUT_MS", "");
  consoleError = vi.spyOn(console, "error").mockImplementation(() => {});
});
afterAll(async () => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await standin.stop();
});
beforeEach(async () => {
  await standin.restore();
  standin.setTokenDelay(50);
  consoleError.mockClear();
});

const request = (body: unknown, signal?: AbortSignal) => jsonRequest(ASK_URL, body, { signal });

/** Asks, aborts the request after `ms`, and waits for the model server to see the client go; the route's answer. */
async function askAborted(extra: Record<string, unknown>, ms: number): Promise<Response> {
  const controller = new AbortController();
  const pending = POST(request({ case: CASE, options: OPTIONS, ...extra }, controller.signal));
  setTimeout(() => controller.abort(), ms);
  await standin.waitForAbort(3000);
  return pending;
}

describe("client abort reaches the model server", () => {
  it("aborting the request's signal mid-stream disconnects from Ollama and ends the response stream", async () => {
    const controller = new AbortController();
    const res = await POST(request({ case: CASE, options: OPTIONS }, controller.signal));
    expect(res.status).toBe(200);
    const frames = await collectSse(res, (sofar) => {
      if (sofar.length === 2) controller.abort();
    });
    const seen = frames.map((f) => f.event);
    // The loop above ended: the stream closed after the abort instead of hanging.
    expect(seen.slice(0, 2)).toEqual(["token", "token"]);
    expect(seen).not.toContain("done");
    expect(seen).not.toContain("answer");
    await standin.waitForAbort(3000);
    expect(standin.stats).toMatchObject({ aborted: 1, completed: 0 });
  });

  it("the consumer cancelling the response body disconnects from Ollama", async () => {
    const res = await POST(request({ case: CASE, options: OPTIONS }));
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    while ((text.match(/event: token/g) ?? []).length < 2) {
      const { value, done } = await reader.read();
      expect(done).toBe(false);
      text += decoder.decode(value, { stream: true });
    }
    await reader.cancel();
    await standin.waitForAbort(3000);
    expect(standin.stats).toMatchObject({ aborted: 1, completed: 0 });
    expect(consoleError).not.toHaveBeenCalled();
  });

  it("stream:false: aborting the request disconnects from Ollama", async () => {
    await askAborted({ stream: false }, 120); // settles (nobody is listening any more)
    expect(standin.stats).toMatchObject({ aborted: 1, completed: 0 });
  });

  it("streamAsk's signal (the Stop button) stops generation upstream and rejects with AbortError", async () => {
    const controller = new AbortController();
    let tokens = 0;
    const run = streamAsk(
      { case: CASE, options: OPTIONS },
      {
        signal: controller.signal,
        onEvent: (ev) => {
          if (ev.event === "token" && ++tokens === 2) controller.abort();
        },
        fetchImpl: (url, init) => POST(new Request(`http://localhost${String(url)}`, init)),
      },
    );
    // In a browser the aborted fetch rejects with AbortError; in-process the route closes the stream. Either
    // way the user must not be shown an error for pressing Stop.
    const outcome = await run.then(
      () => "resolved",
      (err: unknown) => (err as Error).name,
    );
    expect(["resolved", "AbortError"]).toContain(outcome);
    expect(tokens).toBe(2);
    await standin.waitForAbort(3000);
    expect(standin.stats.aborted).toBe(1);
  });

  it("aborting before the first token also disconnects from Ollama", async () => {
    standin.setTokenDelay(2000);
    await (await askAborted({}, 100)).body?.cancel();
    expect(standin.stats).toMatchObject({ aborted: 1, completed: 0 });
  });
});

/**
 * A user pressing Stop is not a server fault: the route answers 499 with no body and logs no error, instead of
 * a 500 internal_error that would page operators.
 */
describe("an early abort is not reported as an internal error", () => {
  it("stream: true, aborted before the first token", async () => {
    standin.setTokenDelay(2000);
    const res = await askAborted({}, 100);
    await res.body?.cancel();
    expect(res.status).not.toBe(500);
    expect(consoleError).not.toHaveBeenCalled();
  });

  it("stream: false, aborted while generating", async () => {
    const res = await askAborted({ stream: false }, 120);
    await res.body?.cancel();
    expect(res.status).not.toBe(500);
    expect(consoleError).not.toHaveBeenCalled();
  });
});
