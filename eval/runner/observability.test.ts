import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { importIntoDb } from "@/eval/datasets/import";
import { openDb, type Db } from "@/eval/store/connection";
import { getRun, requestCancel, requeueRun } from "@/eval/store/runs";
import { loadConfig } from "@/lib/config";
import { OllamaBackend } from "@/lib/inference/ollama";
import { metrics } from "@/lib/observability/metrics";
import { captureLogs } from "@/test-support/log-capture";
import { startOllamaStandin, type OllamaStandin } from "@/test-support/ollama-standin";
import { runRequest } from "@/test-support/run-request";
import { executeRun } from "./execute";
import { newRun } from "./new-run";

/** The runner's lifecycle lines and item counters, for runs against the Ollama stand-in. */

let standin: OllamaStandin;
let backend: OllamaBackend;
let logs: ReturnType<typeof captureLogs>;
const config = loadConfig({ MEDGPT_JUDGE: "none" });

beforeAll(async () => {
  standin = await startOllamaStandin();
  backend = new OllamaBackend({ host: standin.url, timeoutMs: 5000 });
  logs = captureLogs();
});
afterAll(async () => {
  logs.restore();
  await standin.stop();
});
beforeEach(() => {
  standin.setFault({ kind: "none" });
  standin.setTokenDelay(0);
  standin.setModels(["mrizwank97/medgpt:latest", "gemma2:2b"]);
  logs.clear();
});

function smallRun(db: Db, n: number) {
  const rows = Array.from({ length: n }, (_, i) =>
    JSON.stringify({ question: `Case ${i}?`, options: { A: `a${i}`, B: `b${i}` }, answer_idx: "B" }),
  );
  const datasetId = importIntoDb(db, rows.join("\n"), { name: "obs", filename: "obs.jsonl" }).dataset.id;
  return newRun(db, backend, config, runRequest(datasetId, { concurrency: 1 }));
}

const events = (runId: string) => logs.lines().filter((l) => l.runId === runId);
const items = async (outcome: "done" | "failed") =>
  (await metrics().evalItems.get()).values.find((v) => v.labels.outcome === outcome)?.value ?? 0;

describe("run lifecycle in the logs, items in the metrics", () => {
  it("started → finished (partial) with its counts; items counted done and failed; a resume is logged as such", async () => {
    const db = openDb(":memory:");
    const run = await smallRun(db, 2);
    const [done0, failed0] = [await items("done"), await items("failed")];
    standin.setFault({ kind: "http500" }, { times: 3 }); // the first item fails all three attempts
    expect(await executeRun(db, run, { backend, judge: null, config, retry: { baseMs: 1, maxAttempts: 3 } })).toBe(
      "partial",
    );
    expect(events(run.id).map((l) => [l.event, l.level])).toEqual([
      ["run_started", "info"],
      ["run_finished", "info"],
    ]);
    expect(events(run.id)[1]).toMatchObject({ status: "partial", done: 2, errors: 1, total: 2 });
    expect(await items("done")).toBe(done0 + 1);
    expect(await items("failed")).toBe(failed0 + 1);

    logs.clear();
    requeueRun(db, run.id);
    expect(await executeRun(db, getRun(db, run.id)!, { backend, judge: null, config })).toBe("completed");
    expect(events(run.id).map((l) => l.event)).toEqual(["run_resumed", "run_finished"]);
    expect(events(run.id)[1]).toMatchObject({ status: "completed", errors: 0 });
  });

  it("a run whose model disappeared is logged as failed, at error level, with the reason", async () => {
    const db = openDb(":memory:");
    const run = await smallRun(db, 2);
    standin.setModels(["gemma2:2b"]);
    expect(await executeRun(db, run, { backend, judge: null, config })).toBe("failed");
    const end = events(run.id).at(-1)!;
    expect(end).toMatchObject({ event: "run_failed", level: "error", status: "failed" });
    expect(String(end.reason)).toMatch(/mrizwank97\/medgpt/);
  });

  it("a cancelled run is logged as cancelled", async () => {
    const db = openDb(":memory:");
    const run = await smallRun(db, 8);
    standin.setTokenDelay(5);
    const status = await executeRun(db, run, {
      backend,
      judge: null,
      config,
      heartbeatMs: 20,
      onProgress: (p) => {
        if (p.done === 2) requestCancel(db, run.id);
      },
    });
    expect(status).toBe("cancelled");
    expect(events(run.id).at(-1)).toMatchObject({ event: "run_cancelled", status: "cancelled" });
  });

  it("every line is one JSON object", () => {
    for (const raw of logs.raw) expect(() => JSON.parse(raw), raw).not.toThrow();
  });
});
