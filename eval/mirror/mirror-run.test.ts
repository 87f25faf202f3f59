import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadConfig, type AppConfig } from "@/lib/config";
import { openDb, type Db } from "@/eval/store/connection";
import { getResults } from "@/eval/store/results";
import { getRun } from "@/eval/store/runs";
import { OllamaBackend } from "@/lib/inference/ollama";
import { importIntoDb } from "@/eval/datasets/import";
import { executeRun } from "@/eval/runner/execute";
import { judgeFor } from "@/eval/runner/judge";
import { newRun } from "@/eval/runner/new-run";
import { unrelatedHttpRoundTrip } from "@/test-support/async";
import { startGroqStandin, type GroqStandin } from "@/test-support/groq-standin";
import { startOllamaStandin, type OllamaStandin } from "@/test-support/ollama-standin";
import { startWeaveStandin, type WeaveStandin } from "@/test-support/weave-standin";
import { mirrorRun } from "./mirror-run";
import { GEMMA, MEDGPT } from "@/test-support/ollama-models";

/**
 * mirrorRun: a run made by the real runner (Ollama stand-in for generations, Groq stand-in for the judge) in a temp
 * database, mirrored to the Weave trace-server stand-in; one Weave evaluation per model.
 */

const API_KEY = "k";
const PROJECT = "entity/project";

let tmp: string;
let db: Db;
let ollama: OllamaStandin;
let groq: GroqStandin;
let weave: WeaveStandin;
let config: AppConfig;
let runId = "";

const CASES = [0, 1, 2].map((i) => ({
  caseText: `Case ${i}: a ${30 + i}-year-old with finding ${i}. Which is most likely?`,
  options: { A: `alpha ${i}`, B: `beta ${i}`, C: `gamma ${i}` },
  reference: i === 1 ? "C" : "B",
}));

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "medgpt-mirror-run-"));
  db = openDb(path.join(tmp, "medgpt.db"));
  ollama = await startOllamaStandin({ recordingsPath: null });
  groq = await startGroqStandin();
  groq.respondWith((req) => {
    const n = Number(/Case (\d+):/.exec(JSON.stringify(req.body))?.[1] ?? 0);
    return { kind: "verdict", score: n + 2, explanation: `case ${n}` };
  });
  weave = await startWeaveStandin();
  config = loadConfig({
    MEDGPT_DB_PATH: path.join(tmp, "medgpt.db"),
    OLLAMA_HOST: ollama.url,
    GROQ_API_KEY: "gsk_test",
    GROQ_BASE_URL: groq.url,
    WANDB_API_KEY: API_KEY,
    WEAVE_PROJECT: PROJECT,
    WF_TRACE_SERVER_URL: weave.url,
  });

  const text = CASES.map((c) =>
    JSON.stringify({
      instruction: "Answer.",
      input: `Q:${c.caseText}? \n{'A': '${c.options.A}', 'B': '${c.options.B}', 'C': '${c.options.C}'},`,
      output: `<analysis>\nbecause\n</analysis>\n<answer>\n${c.reference}: ${c.options[c.reference as "B" | "C"]}\n</answer>`,
    }),
  ).join("\n");
  const { dataset } = importIntoDb(db, text, { name: "mirror-cases", filename: "mirror-cases.jsonl" });

  const backend = new OllamaBackend({ host: ollama.url, timeoutMs: 5000 });
  const run = await newRun(db, backend, config, {
    datasetId: dataset.id,
    models: [MEDGPT, GEMMA],
    limit: null,
    sample: null,
    seed: 42,
    temperature: 0,
    maxTokens: 1024,
    judge: "groq:openai/gpt-oss-120b",
    concurrency: 1,
  });
  expect(run.mirrorStatus).toBe("pending"); // Weave is configured: the run is to be mirrored when it ends
  // The fine-tune's first item fails all three attempts (concurrency 1: the first three requests are that item's).
  ollama.setFault({ kind: "http500" }, { times: 3 });
  const status = await executeRun(db, run, {
    backend,
    judge: judgeFor(run.config.judge, config),
    config,
    retry: { baseMs: 1, maxAttempts: 3 },
  });
  expect(status).toBe("partial");
  runId = run.id;
});
afterAll(async () => {
  await Promise.all([ollama.stop(), groq.stop(), weave.stop()]);
  db.close();
  rmSync(tmp, { recursive: true, force: true });
});
beforeEach(() => {
  weave.setFault({ kind: "none" });
  weave.reset();
});

const weaveConfig = () => ({ apiKey: API_KEY, project: PROJECT, traceServerUrl: weave.url });

describe("mirrorRun", () => {
  it("mirrors each model as a Weave evaluation and records mirrored + the evaluation's URL on the run", async () => {
    await mirrorRun(db, runId, weaveConfig());
    const run = getRun(db, runId)!;
    expect(run.mirrorStatus).toBe("mirrored");
    expect(run.mirrorError).toBeNull();

    const evaluations = weave.callsOf("Evaluation.evaluate");
    expect(evaluations).toHaveLength(2);
    expect(evaluations.map((e) => (e.attributes.medgpt as { model?: string }).model)).toEqual([MEDGPT, GEMMA]);
    expect(evaluations.every((e) => (e.attributes.medgpt as { run_id?: string }).run_id === runId)).toBe(true);
    expect(evaluations.every((e) => e.ended)).toBe(true);
    expect(run.weaveUrl).toBe(`https://wandb.ai/${PROJECT}/r/call/${evaluations[0]!.id}`);
    expect(new Set(weave.requests.map((r) => r.authorization))).toEqual(
      new Set([`Basic ${Buffer.from(`api:${API_KEY}`).toString("base64")}`]),
    );
  });

  it("sends every successful item's output and scores (errored generations are left out)", async () => {
    await mirrorRun(db, runId, weaveConfig());
    const results = getResults(db, runId);
    const evaluations = weave.callsOf("Evaluation.evaluate");
    const pas = weave.callsOf("Evaluation.predict_and_score");

    for (const model of [MEDGPT, GEMMA]) {
      const root = evaluations.find((e) => (e.attributes.medgpt as { model?: string }).model === model)!;
      const mine = pas.filter((p) => p.parentId === root.id);
      const ok = results.filter((r) => r.model === model && r.status === "ok");
      expect(mine).toHaveLength(ok.length);
      for (const r of ok) {
        const c = CASES[r.itemIdx]!;
        const p = mine.find((x) => (x.inputs.example as { index?: number }).index === r.itemIdx);
        expect(p, `${model} item ${r.itemIdx}`).toBeDefined();
        expect(p!.inputs.example).toEqual({
          index: r.itemIdx,
          case: c.caseText,
          options: c.options,
          reference: c.reference,
        });
        expect(p!.output).toEqual({
          output: { raw: r.raw, letter: "B" },
          scores: { exact_match: c.reference === "B", format_ok: true, judge_score: r.itemIdx + 2 },
        });
      }
      // The run's own aggregates are the evaluation's output (merged with the per-scorer ones).
      const errors = results.filter((r) => r.model === model && r.status === "error").length;
      expect(root.output).toMatchObject({ errors, judge_mean: expect.any(Number), accuracy: expect.any(Number) });
    }
    // The fine-tune's item 0 failed: two predictions for it, three for the base model.
    expect(pas).toHaveLength(5);
    // Three scores per prediction arrive as feedback.
    expect(weave.feedback).toHaveLength(15);
  });

  it("a trace server refusing every request: mirrorStatus failed with the reason, and the process carries on", async () => {
    weave.setFault({ kind: "status", status: 401 });
    await mirrorRun(db, runId, weaveConfig());
    const run = getRun(db, runId)!;
    expect(run.mirrorStatus).toBe("failed");
    expect(run.mirrorError).toMatch(/^mrizwank97\/medgpt: /);
    expect(run.mirrorError).toMatch(/401/);
    expect(weave.requests.length).toBeGreaterThan(0);
    expect(weave.requests.every((r) => r.status === 401)).toBe(true);
    // The run itself is untouched.
    expect(run.status).toBe("partial");
    expect(getResults(db, runId)).toHaveLength(6);

    expect(process.exitCode ?? 0).toBe(0);
    expect(await unrelatedHttpRoundTrip()).toBe("still alive");

    // Once the trace server is back, mirroring again succeeds and clears the error.
    weave.setFault({ kind: "none" });
    weave.reset();
    await mirrorRun(db, runId, weaveConfig());
    const again = getRun(db, runId)!;
    expect(again.mirrorStatus).toBe("mirrored");
    expect(again.mirrorError).toBeNull();
    expect(again.weaveUrl).toBe(`https://wandb.ai/${PROJECT}/r/call/${weave.callsOf("Evaluation.evaluate")[0]!.id}`);
  });

  it("an invalid Weave project fails without contacting the trace server", async () => {
    await mirrorRun(db, runId, { apiKey: API_KEY, project: "no-entity", traceServerUrl: weave.url });
    const run = getRun(db, runId)!;
    expect(run.mirrorStatus).toBe("failed");
    expect(run.mirrorError).toMatch(/entity\/project/);
    expect(weave.requests).toHaveLength(0);
  });

  it("an unknown run is a no-op, not a throw", async () => {
    await expect(mirrorRun(db, "run_missing", weaveConfig())).resolves.toBeUndefined();
    expect(weave.requests).toHaveLength(0);
  });
});
