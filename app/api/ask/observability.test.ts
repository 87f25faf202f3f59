import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { jsonRequest } from "@/test-support/api";
import { ASK_URL, CASE, OPTIONS, startAskStandin } from "@/test-support/ask";
import { captureLogs } from "@/test-support/log-capture";
import type { OllamaStandin } from "@/test-support/ollama-standin";
import { GET, POST } from "./route";

/**
 * POST /api/ask's logs and request ids, against the Ollama stand-in: the real route and logger, the lines read back
 * from the logger's destination. MEDGPT_LOG_CASE_TEXT is off (its default), so the case text must not be logged.
 */

let standin: OllamaStandin;
let logs: ReturnType<typeof captureLogs>;

beforeAll(async () => {
  standin = await startAskStandin();
  vi.stubEnv("MEDGPT_LOG_CASE_TEXT", "");
  vi.stubEnv("MEDGPT_LOG_LEVEL", "");
  logs = captureLogs();
});
afterAll(async () => {
  logs.restore();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await standin.stop();
});
beforeEach(() => {
  standin.restore();
  logs.clear();
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Every line so far is one JSON object and belongs to request `id`; returns them. */
function linesOf(id: string) {
  expect(logs.raw.length).toBeGreaterThan(0);
  for (const raw of logs.raw) expect(() => JSON.parse(raw), raw).not.toThrow();
  const lines = logs.lines();
  for (const line of lines) expect(line.requestId, JSON.stringify(line)).toBe(id);
  return lines;
}

const askLine = (id: string) => {
  const asks = linesOf(id).filter((l) => l.event === "ask");
  expect(asks).toHaveLength(1);
  return asks[0]!;
};

describe("POST /api/ask: request ids and log lines", () => {
  it("a streamed answer: X-Request-Id on the SSE response, one ask line with its id, outcome and timings", async () => {
    const res = await POST(jsonRequest(ASK_URL, { case: CASE, options: OPTIONS }));
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const id = res.headers.get("x-request-id")!;
    expect(id).toMatch(UUID);
    await res.text(); // the line is written when the stream ends
    const line = askLine(id);
    expect(line).toMatchObject({ level: "info", outcome: "ok", backend: "ollama", stream: true, optionCount: 3 });
    expect(line.timings).toMatchObject({ evalCount: expect.any(Number), totalMs: expect.any(Number) });
  });

  it("a JSON answer (stream: false) carries X-Request-Id, and its line the same id", async () => {
    const res = await POST(jsonRequest(ASK_URL, { case: CASE, options: OPTIONS, stream: false }));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const line = askLine(res.headers.get("x-request-id")!);
    expect(line).toMatchObject({ outcome: "ok", stream: false });
  });

  it("errors carry X-Request-Id too: a bad body (400), an upstream failure (502), a wrong method (405)", async () => {
    const bad = await POST(jsonRequest(ASK_URL, { case: "", options: OPTIONS }));
    expect(bad.status).toBe(400);
    expect(askLine(bad.headers.get("x-request-id")!)).toMatchObject({ outcome: "invalid_request", backend: "none" });

    logs.clear();
    standin.setFault({ kind: "http500" });
    const down = await POST(jsonRequest(ASK_URL, { case: CASE, options: OPTIONS }));
    expect(down.status).toBe(502);
    expect(askLine(down.headers.get("x-request-id")!)).toMatchObject({ level: "warn", outcome: "upstream_error" });

    expect(GET().headers.get("x-request-id")).toMatch(UUID);
  });

  it("a caller's sane X-Request-Id is kept; anything else is replaced", async () => {
    const withId = (id: string) =>
      POST(
        new Request(ASK_URL, {
          method: "POST",
          headers: { "content-type": "application/json", "x-request-id": id },
          body: JSON.stringify({ case: CASE, options: OPTIONS, stream: false }),
        }),
      );
    const kept = await withId("client-trace.42_a");
    expect(kept.headers.get("x-request-id")).toBe("client-trace.42_a");
    expect(askLine("client-trace.42_a").outcome).toBe("ok");
    for (const insane of ["x".repeat(65), "two words", "a,b", "id;forged"]) {
      const res = await withId(insane);
      expect(res.headers.get("x-request-id")).toMatch(UUID);
    }
  });

  it("the case text and the options are not logged (MEDGPT_LOG_CASE_TEXT is off)", async () => {
    const res = await POST(jsonRequest(ASK_URL, { case: CASE, options: OPTIONS }));
    await res.text();
    const text = logs.raw.join("\n");
    expect(text).not.toContain("hilar lymphadenopathy");
    expect(text).not.toContain("Sarcoidosis");
    expect(askLine(res.headers.get("x-request-id")!)).toMatchObject({
      case: "[redacted]",
      options: "[redacted]",
      caseChars: CASE.length,
    });
  });
});
