import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { AskResponseSchema, ErrorBodySchema } from "@/lib/schemas/ask";
import { expectError, jsonRequest } from "@/test-support/api";
import { ASK_URL, CASE, OPTIONS, startAskStandin } from "@/test-support/ask";
import type { OllamaStandin } from "@/test-support/ollama-standin";
import { collectSse } from "@/test-support/sse";
import { POST } from "./route";

/** MEDGPT_UPSTREAM_TIMEOUT_MS: no bytes from the model server for that long → upstream_timeout, never a hang. */

let standin: OllamaStandin;

beforeAll(async () => {
  standin = await startAskStandin();
  vi.stubEnv("MEDGPT_UPSTREAM_TIMEOUT_MS", "300");
});
afterAll(async () => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await standin.stop();
});
beforeEach(() => standin.restore());

const ask = (body: unknown) => POST(jsonRequest(ASK_URL, body));

describe("upstream timeout", () => {
  for (const stream of [true, false]) {
    it(`model server accepts but never answers → 504 upstream_timeout (stream: ${stream}), and the hung request is dropped`, async () => {
      standin.setFault({ kind: "hangBeforeHeaders" });
      const error = await expectError(await ask({ case: CASE, options: OPTIONS, stream }), 504, "upstream_timeout");
      expect(error.fix).toContain("MEDGPT_UPSTREAM_TIMEOUT_MS");
      // We hang up on Ollama rather than leaving the request queued there.
      await standin.waitForAbort(3000);
      expect(standin.stats.active).toBe(0);
    });
  }

  it("a stall mid-stream ends the stream with an upstream_timeout error event", async () => {
    standin.setTokenDelay(20);
    const res = await ask({ case: CASE, options: OPTIONS });
    expect(res.status).toBe(200);
    const events = await collectSse(res, (sofar) => {
      if (sofar.length === 2) standin.setTokenDelay(5000); // the model server goes quiet
    });
    const last = events.at(-1)!;
    expect(last.event).toBe("error");
    expect(ErrorBodySchema.parse(JSON.parse(last.data)).code).toBe("upstream_timeout");
    expect(events.slice(0, -1).every((e) => e.event === "token")).toBe(true);
    await standin.waitForAbort(3000);
  });

  it("a slow but steady model (each token well inside the timeout) is not cut off", async () => {
    // ~48 chunks 15 ms apart: the whole reply takes longer than the 300 ms timeout, no single gap does.
    standin.setTokenDelay(15);
    const res = await ask({ case: CASE, options: OPTIONS, stream: false });
    expect(res.status).toBe(200);
    const body = AskResponseSchema.parse(await res.json());
    expect(body.timings.totalMs).toBeGreaterThan(300); // precondition: the reply outlasted the timeout
    expect(body.answer?.letter).toBe("B");
    expect(standin.stats).toMatchObject({ completed: 1, aborted: 0 });
  });
});
