import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { jsonRequest } from "@/test-support/api";
import { ASK_URL, CASE, OPTIONS, startAskStandin } from "@/test-support/ask";
import { captureLogs } from "@/test-support/log-capture";
import type { OllamaStandin } from "@/test-support/ollama-standin";
import { POST } from "./route";

/**
 * MEDGPT_LOG_CASE_TEXT=true: the ask line carries the case text and the options (its own file, since the
 * configuration is read once per module context). Credentials stay censored (lib/observability/log.test.ts).
 */

let standin: OllamaStandin;
let logs: ReturnType<typeof captureLogs>;

beforeAll(async () => {
  standin = await startAskStandin();
  vi.stubEnv("MEDGPT_LOG_CASE_TEXT", "true");
  logs = captureLogs();
});
afterAll(async () => {
  logs.restore();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await standin.stop();
});

describe("POST /api/ask with MEDGPT_LOG_CASE_TEXT=true", () => {
  it("logs the case text and the options with the request's id", async () => {
    const res = await POST(jsonRequest(ASK_URL, { case: CASE, options: OPTIONS }));
    await res.text();
    const asks = logs.lines().filter((l) => l.event === "ask");
    expect(asks).toHaveLength(1);
    expect(asks[0]).toMatchObject({ requestId: res.headers.get("x-request-id"), case: CASE, options: OPTIONS });
  });
});
