import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { ErrorEnvelopeSchema } from "@/lib/schemas/ask";
import { ImportResponseSchema, ResultsPageSchema, RunViewSchema, type RunView } from "@/lib/schemas/eval";
import { stopAllRuns } from "@/eval/runner/jobs";
import { sha256_16, startOllamaStandin, type OllamaStandin } from "@/test-support/ollama-standin";
import { POST as importDataset } from "@/app/api/datasets/route";
import { GET as resultsOf } from "./[id]/results/route";
import { GET as getRun } from "./[id]/route";
import { POST as createRun } from "./route";

/**
 * GET /api/runs/{id}/results filters against real runs (routes, runner, database in a temp file, the Ollama
 * stand-in): `disagree` compares only the answers (status ok) of the selected models, a model filter keeps the
 * questions that model has a result for, and a model the run does not have is refused.
 */

const TOKEN = "results-filters-admin-token-123456";
const AUTH = { authorization: `Bearer ${TOKEN}` };
const MEDGPT = "mrizwank97/medgpt";
const GEMMA = "gemma2:2b";
const ENV_KEYS = [
  "ADMIN_TOKEN", "MEDGPT_DB_PATH", "MEDGPT_JUDGE", "GROQ_API_KEY", "GROQ_BASE_URL", "WANDB_API_KEY", "WEAVE_PROJECT",
  "WF_TRACE_SERVER_URL", "MEDGPT_HF_DATASETS_URL", "OLLAMA_HOST", "MEDGPT_MODEL", "MEDGPT_PROMPT_FORMATS",
  "MEDGPT_MAX_TOKENS", "MEDGPT_NUM_CTX", "MEDGPT_TOP_P", "MEDGPT_UPSTREAM_TIMEOUT_MS", "MEDGPT_LOG_CASE_TEXT",
  "MEDGPT_EVAL_CONCURRENCY", "MEDGPT_JUDGE_CONCURRENCY",
];

const INSTRUCTION =
  "Please answer with one of the option in the bracket. Write reasoning in between <analysis></analysis>. Write answer in between <answer></answer>.";
type Opts = Record<string, string>;
const literal = (o: Opts) => `{${Object.entries(o).map(([k, v]) => `'${k}': '${v}'`).join(", ")}}`;
const inputOf = (caseText: string, options: Opts) => `Q:${caseText}? \n${literal(options)},`;
const mrRow = (caseText: string, options: Opts, letter: string) =>
  JSON.stringify({
    instruction: INSTRUCTION,
    input: inputOf(caseText, options),
    output: `<analysis>\nBecause.\n</analysis>\n<answer>\n${letter}: ${options[letter]}\n</answer>`,
  });

type Case = { caseText: string; options: Opts; reference: string; medgpt?: string; base?: string };
/**
 * Item 0: not recorded, both models answer B (the stand-in's made-up reply). Item 1: the fine-tune answers A, the base
 * model C. Item 2: the fine-tune answers D, the base model names no option.
 */
const CASES: Case[] = [
  {
    caseText: "A 30-year-old woman has a dry cough, erythema nodosum and bilateral hilar lymphadenopathy. Which is the most likely diagnosis?",
    options: { A: "Asthma", B: "Sarcoidosis", C: "Tuberculosis", D: "GERD" },
    reference: "B",
  },
  {
    caseText: "A 25-year-old returns from a safari with fever every 48 hours and ring forms on the blood smear. Which is the most likely cause?",
    options: { A: "Plasmodium vivax", B: "Dengue virus", C: "Salmonella typhi", D: "Leptospira" },
    reference: "A",
    medgpt: "<analysis>\nTertian malaria.\n</analysis>\n<answer>\nA: Plasmodium vivax\n</answer>",
    base: "<analysis>\nEnteric fever.\n</analysis>\n<answer>\nC: Salmonella typhi\n</answer>",
  },
  {
    caseText: "A 62-year-old woman has a resting tremor, rigidity and a shuffling gait. Which drug is most appropriate?",
    options: { A: "Haloperidol", B: "Propranolol", C: "Metoclopramide", D: "Levodopa-carbidopa" },
    reference: "D",
    medgpt: "<analysis>\nParkinsonism.\n</analysis>\n<answer>\nD: Levodopa-carbidopa\n</answer>",
    base: "This patient needs a neurologist; more information is required before choosing a treatment.",
  },
];

function writeRecordings(file: string) {
  const lines = CASES.flatMap((c, index) => {
    if (!c.medgpt || !c.base) return [];
    const input = inputOf(c.caseText, c.options);
    const prompt = `<start_of_turn>user Below is an instruction. ${INSTRUCTION} here are the inputs ${input} <end_of_turn>\n<start_of_turn>`;
    const base = { index, input_sha256_16: sha256_16(input), prompt };
    return [JSON.stringify({ ...base, model: "mrizwank97/medgpt", response: c.medgpt }), JSON.stringify({ ...base, model: "gemma-2-2b-it", response: c.base })];
  });
  writeFileSync(file, `${lines.join("\n")}\n`);
}

let tmp: string;
let standin: OllamaStandin;
let datasetId = "";

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "medgpt-results-filters-"));
  const recordings = path.join(tmp, "recordings.jsonl");
  writeRecordings(recordings);
  standin = await startOllamaStandin({ recordingsPath: recordings });
  for (const k of ENV_KEYS) vi.stubEnv(k, "");
  vi.stubEnv("ADMIN_TOKEN", TOKEN);
  vi.stubEnv("MEDGPT_DB_PATH", path.join(tmp, "medgpt.db"));
  vi.stubEnv("OLLAMA_HOST", standin.url);
  vi.stubEnv("MEDGPT_JUDGE", "none");
  vi.spyOn(console, "info").mockImplementation(() => {});

  const text = CASES.map((c) => mrRow(c.caseText, c.options, c.reference)).join("\n");
  const res = await importDataset(
    new Request("http://localhost/api/datasets", { method: "POST", headers: { ...AUTH, "content-type": "application/json" }, body: JSON.stringify({ text, name: "filters-test" }) }),
    { params: Promise.resolve({}) },
  );
  expect(res.status).toBe(201);
  datasetId = ImportResponseSchema.parse(await res.json()).dataset.id;
});
afterAll(async () => {
  await stopAllRuns();
  await standin.stop();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  rmSync(tmp, { recursive: true, force: true });
});
beforeEach(() => {
  standin.setFault({ kind: "none" });
  standin.setTokenDelay(0);
  standin.setModels(["mrizwank97/medgpt:latest", "gemma2:2b"]);
});

const BASE = "http://localhost";
const ctx = <P>(p: P) => ({ params: Promise.resolve(p) });

async function view(id: string): Promise<RunView> {
  const res = await getRun(new Request(`${BASE}/api/runs/${id}`, { headers: AUTH }), ctx({ id }));
  expect(res.status).toBe(200);
  return RunViewSchema.parse(await res.json());
}
const FINISHED = ["completed", "partial", "cancelled", "failed"];
async function waitForRun(id: string): Promise<RunView> {
  for (;;) {
    const v = await view(id);
    if (FINISHED.includes(v.status)) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
}
async function runToEnd(body: Record<string, unknown>): Promise<RunView> {
  const res = await createRun(
    new Request(`${BASE}/api/runs`, { method: "POST", headers: { ...AUTH, "content-type": "application/json" }, body: JSON.stringify({ datasetId, judge: "none", ...body }) }),
    ctx({}),
  );
  expect(res.status).toBe(202);
  return RunViewSchema.parse(await res.json());
}
const results = (id: string, query: string) => resultsOf(new Request(`${BASE}/api/runs/${id}/results?${query}`, { headers: AUTH }), ctx({ id }));
async function idxs(id: string, query: string): Promise<number[]> {
  const res = await results(id, query);
  expect(res.status, query).toBe(200);
  const p = ResultsPageSchema.parse(await res.json());
  expect(p.totalRows).toBe(p.rows.length);
  return p.rows.map((r) => r.itemIdx);
}
const m = encodeURIComponent;

describe("a completed two-model run", () => {
  let run: RunView;
  beforeAll(async () => {
    run = await waitForRun((await runToEnd({ models: [MEDGPT, GEMMA] })).id);
    expect(run).toMatchObject({ status: "completed", done: 6, errors: 0 });
  });

  it("disagree: items where the models' answers differ, a letter against no letter included", async () => {
    expect(await idxs(run.id, "filter=disagree")).toEqual([1, 2]);
  });

  it("disagree with a model filter: one model alone never disagrees", async () => {
    expect(await idxs(run.id, `filter=disagree&model=${m(MEDGPT)}`)).toEqual([]);
    expect(await idxs(run.id, `filter=disagree&model=${m(GEMMA)}`)).toEqual([]);
  });

  it("a model the run does not have → 400 invalid_request naming it, with the issue at `model`", async () => {
    for (const query of ["model=llama3%3A8b", "filter=disagree&model=nope", `filter=wrong&model=${m(`${MEDGPT}x`)}`]) {
      const res = await results(run.id, query);
      expect(res.status, query).toBe(400);
      const body = ErrorEnvelopeSchema.parse(await res.json());
      expect(body.error.code).toBe("invalid_request");
      expect(body.error.issues?.map((i) => i.path)).toEqual([["model"]]);
    }
    const body = ErrorEnvelopeSchema.parse(await (await results(run.id, "model=llama3%3A8b")).json());
    expect(body.error.message).toMatch(/llama3:8b/);
  });
});

describe("a run where one model's generation failed", () => {
  it("an error against an answer is not a disagreement", async () => {
    // Concurrency 1, the fine-tune first: every attempt of its item fails; the fault is lifted as soon as the base
    // model's first attempt arrives, so that one of its retries (after a backoff) succeeds.
    standin.reset();
    standin.setFault({ kind: "http500" });
    const lift = setInterval(() => {
      const generating = standin.requests.filter((r) => r.path === "/api/generate" || r.path === "/api/chat");
      if (generating.some((r) => (r.body as { model?: unknown } | null)?.model === GEMMA)) standin.setFault({ kind: "none" });
    }, 1);
    let run: RunView;
    try {
      run = await waitForRun((await runToEnd({ models: [MEDGPT, GEMMA], limit: 1, concurrency: 1 })).id);
    } finally {
      clearInterval(lift);
    }
    expect(run).toMatchObject({ status: "partial", done: 2, errors: 1 });
    expect(await idxs(run.id, "filter=errors")).toEqual([0]);
    expect(await idxs(run.id, "filter=disagree")).toEqual([]);
  });
});

describe("a run where one model has not answered", () => {
  let run: RunView;
  beforeAll(async () => {
    standin.setTokenDelay(5); // the fine-tune's items (first in line) take a moment
    const queued = await runToEnd({ models: [MEDGPT, GEMMA], limit: 2, concurrency: 1 });
    standin.setModels(["mrizwank97/medgpt:latest"]); // gemma2:2b disappears: its results stay pending
    run = await waitForRun(queued.id);
    expect(run.status).toBe("failed");
    expect(run.summary!.map((s) => [s.model, s.completed])).toEqual([[MEDGPT, 2], [GEMMA, 0]]);
  });

  it("a pending result is not a disagreement", async () => {
    expect(await idxs(run.id, "filter=disagree")).toEqual([]);
  });

  it("a model filter keeps only the questions that model has a result for", async () => {
    expect(await idxs(run.id, `model=${m(MEDGPT)}`)).toEqual([0, 1]);
    expect(await idxs(run.id, `model=${m(GEMMA)}`)).toEqual([]);
    expect(await idxs(run.id, `filter=all&model=${m(GEMMA)}`)).toEqual([]);
    // Without a model filter, a question any model answered is listed.
    expect(await idxs(run.id, "")).toEqual([0, 1]);
    expect(await idxs(run.id, "model=")).toEqual([0, 1]); // an empty model is no filter
  });
});
