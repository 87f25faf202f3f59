import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as ask } from "@/app/api/ask/route";
import { POST as login } from "@/app/api/admin/login/route";
import { collectProcessMetrics } from "@/lib/observability/metrics";
import { AskResponseSchema } from "@/lib/schemas/ask";
import { expectError, jsonRequest } from "@/test-support/api";
import { ASK_URL, CASE, OPTIONS, startAskStandin } from "@/test-support/ask";
import type { OllamaStandin } from "@/test-support/ollama-standin";
import { GET } from "./route";

/**
 * GET /api/metrics: closed without credentials, Prometheus text with them; the ask counters move with real asks
 * answered by the Ollama stand-in.
 */

const ADMIN_TOKEN = "metrics-test-admin-token-0042";
const METRICS_TOKEN = "metrics-test-scrape-token-0042";

let standin: OllamaStandin;
let tmp: string;
beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "medgpt-metrics-"));
  standin = await startAskStandin();
  vi.stubEnv("ADMIN_TOKEN", ADMIN_TOKEN);
  vi.stubEnv("MEDGPT_METRICS_TOKEN", METRICS_TOKEN);
  vi.stubEnv("MEDGPT_DB_PATH", path.join(tmp, "medgpt.db"));
});
afterAll(async () => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await standin.stop();
  rmSync(tmp, { recursive: true, force: true });
});

const scrape = (headers: Record<string, string> = {}) => GET(new Request("http://localhost/api/metrics", { headers }));

/** The metrics text, read with the scraper's token. */
async function text(): Promise<string> {
  const res = await scrape({ authorization: `Bearer ${METRICS_TOKEN}` });
  expect(res.status).toBe(200);
  return res.text();
}

/** One sample's value: `name{labels} value`, 0 when the series does not exist yet. */
function sample(body: string, series: string): number {
  const line = body.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

const OK = 'medgpt_ask_requests_total{outcome="ok",backend="ollama"}';

describe("GET /api/metrics", () => {
  it("is closed: 401 without credentials, with a wrong bearer, or with the token but no Bearer scheme; never cached", async () => {
    const refused: Record<string, string>[] = [
      {},
      { authorization: "Bearer wrong-token-wrong-token" },
      { authorization: METRICS_TOKEN },
    ];
    for (const headers of refused) {
      const res = await scrape(headers);
      await expectError(res, 401, "unauthorized");
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(res.headers.get("x-request-id")).toBeTruthy();
    }
  });

  it("opens to MEDGPT_METRICS_TOKEN, ADMIN_TOKEN and the admin session cookie, in Prometheus text format", async () => {
    const session = await login(jsonRequest("http://localhost/api/admin/login", { token: ADMIN_TOKEN }));
    const cookie = session.headers.get("set-cookie")!.split(";")[0]!;
    const allowed: Record<string, string>[] = [
      { authorization: `Bearer ${METRICS_TOKEN}` },
      { authorization: `Bearer ${ADMIN_TOKEN}` },
      { cookie },
    ];
    for (const headers of allowed) {
      const res = await scrape(headers);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.headers.get("x-request-id")).toBeTruthy();
      const body = await res.text();
      expect(body).toContain("# TYPE medgpt_ask_requests_total counter");
      expect(body).toContain("# TYPE medgpt_ask_first_token_seconds histogram");
      expect(body).toContain("# TYPE medgpt_generations_in_flight gauge");
      expect(body).toContain('medgpt_eval_items_total{outcome="failed"} 0');
    }
  });

  it("counts an ask: outcome and backend, first-token and total time, and the tokens its done event reported", async () => {
    const before = await text();
    const res = await ask(jsonRequest(ASK_URL, { case: CASE, options: OPTIONS, stream: false }));
    expect(res.status).toBe(200);
    const { timings } = AskResponseSchema.parse(await res.json());
    const after = await text();
    expect(sample(after, OK)).toBe(sample(before, OK) + 1);
    const count = (name: string) => sample(after, name) - sample(before, name);
    expect(count('medgpt_ask_first_token_seconds_count{backend="ollama"}')).toBe(1);
    expect(count('medgpt_ask_duration_seconds_count{backend="ollama"}')).toBe(1);
    expect(timings.evalCount).toBeGreaterThan(0);
    expect(count('medgpt_generated_tokens_total{backend="ollama"}')).toBe(timings.evalCount);
  });

  it("counts refusals by their code, before any backend is chosen", async () => {
    const series = 'medgpt_ask_requests_total{outcome="invalid_request",backend="none"}';
    const before = sample(await text(), series);
    expect((await ask(jsonRequest(ASK_URL, { case: "", options: OPTIONS }))).status).toBe(400);
    expect(sample(await text(), series)).toBe(before + 1);
  });

  it("shows a streaming generation in flight until its stream ends", async () => {
    const res = await ask(jsonRequest(ASK_URL, { case: CASE, options: OPTIONS }));
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(sample(await text(), "medgpt_generations_in_flight")).toBe(1);
    await res.text();
    expect(sample(await text(), "medgpt_generations_in_flight")).toBe(0);
  });

  it("includes Node's process metrics once the server has started them", async () => {
    collectProcessMetrics();
    const body = await text();
    expect(body).toContain("process_cpu_user_seconds_total");
    expect(body).toContain("nodejs_heap_size_used_bytes");
  });
});
