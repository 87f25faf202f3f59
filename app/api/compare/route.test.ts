import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ErrorEnvelopeSchema } from "@/lib/schemas/ask";
import { ComparisonSchema, ImportResponseSchema, RunViewSchema, type RunView } from "@/lib/schemas/eval";
import { stopAllRuns } from "@/eval/runner/jobs";
import { sha256_16, startOllamaStandin, type OllamaStandin } from "@/test-support/ollama-standin";
import { POST as importDataset } from "@/app/api/datasets/route";
import { GET as getRun } from "@/app/api/runs/[id]/route";
import { POST as createRun } from "@/app/api/runs/route";
import { GET } from "./route";

/**
 * GET /api/compare: paired comparison of two models (same run or two runs) over the items both completed, on runs
 * made through the API against the Ollama stand-in. The stand-in replays a recordings file written here for some
 * cases and answers B (its made-up reply) for the others.
 */

const TOKEN = "compare-route-admin-token-99";
const AUTH = { authorization: `Bearer ${TOKEN}` };
const MEDGPT = "mrizwank97/medgpt";
const GEMMA = "gemma2:2b";
const ENV_KEYS = [
  "ADMIN_TOKEN", "MEDGPT_DB_PATH", "MEDGPT_JUDGE", "GROQ_API_KEY", "GROQ_BASE_URL", "WANDB_API_KEY", "WEAVE_PROJECT",
  "WF_TRACE_SERVER_URL", "MEDGPT_HF_DATASETS_URL", "OLLAMA_HOST", "MEDGPT_MODEL", "MEDGPT_PROMPT_FORMATS",
  "MEDGPT_MAX_TOKENS", "MEDGPT_NUM_CTX", "MEDGPT_TOP_P", "MEDGPT_UPSTREAM_TIMEOUT_MS", "MEDGPT_LOG_CASE_TEXT",
  "MEDGPT_EVAL_CONCURRENCY", "MEDGPT_JUDGE_CONCURRENCY",
];

type Opts = Record<string, string>;
const literal = (o: Opts) => `{${Object.entries(o).map(([k, v]) => `'${k}': '${v}'`).join(", ")}}`;
const inputOf = (caseText: string, options: Opts) => `Q:${caseText}? \n${literal(options)},`;
const answer = (letter: string, options: Opts) => `<analysis>\nReasoning.\n</analysis>\n<answer>\n${letter}: ${options[letter]}\n</answer>`;

type Case = { caseText: string; options: Opts; reference: string; medgpt?: string; base?: string };
const OPTS: Opts = { A: "Option alpha", B: "Option beta", C: "Option gamma", D: "Option delta" };
/** medgpt/base: the recorded reply's letter ("-" = a reply naming no option); absent = the made-up reply (B). */
const CASES: Case[] = [
  { caseText: "Case zero: both models right. Which?", options: OPTS, reference: "B" },
  { caseText: "Case one: both models wrong, same letter. Which?", options: OPTS, reference: "C" },
  { caseText: "Case two: only the fine-tune right. Which?", options: OPTS, reference: "A", medgpt: "A", base: "C" },
  { caseText: "Case three: only the fine-tune right, base unparseable. Which?", options: OPTS, reference: "D", medgpt: "D", base: "-" },
  { caseText: "Case four: only the fine-tune right. Which?", options: OPTS, reference: "C", medgpt: "C", base: "A" },
  { caseText: "Case five: both wrong, different letters. Which?", options: OPTS, reference: "A", medgpt: "C", base: "D" },
];
const reply = (letter: string, options: Opts) => (letter === "-" ? "I would need more information to decide." : answer(letter, options));

function datasetText(cases: Case[]) {
  return cases
    .map((c) => JSON.stringify({ instruction: "Answer.", input: inputOf(c.caseText, c.options), output: answer(c.reference, c.options) }))
    .join("\n");
}

function writeRecordings(file: string) {
  const lines = CASES.flatMap((c, index) => {
    if (!c.medgpt || !c.base) return [];
    const input = inputOf(c.caseText, c.options);
    const base = { index, input_sha256_16: sha256_16(input), prompt: `<start_of_turn>user x here are the inputs ${input} <end_of_turn>\n<start_of_turn>` };
    return [
      JSON.stringify({ ...base, model: "mrizwank97/medgpt", response: reply(c.medgpt, c.options) }),
      JSON.stringify({ ...base, model: "gemma-2-2b-it", response: reply(c.base, c.options) }),
    ];
  });
  writeFileSync(file, `${lines.join("\n")}\n`);
}

let tmp: string;
let standin: OllamaStandin;
let both: RunView; // MEDGPT and GEMMA over all six cases
let firstThree: RunView; // MEDGPT over the first three cases
let other: RunView; // MEDGPT over another dataset

const ctx = <P>(p: P) => ({ params: Promise.resolve(p) });

async function importText(text: string, name: string): Promise<string> {
  const res = await importDataset(
    new Request("http://localhost/api/datasets", { method: "POST", headers: { ...AUTH, "content-type": "application/json" }, body: JSON.stringify({ text, name }) }),
    ctx({}),
  );
  expect(res.status).toBe(201);
  return ImportResponseSchema.parse(await res.json()).dataset.id;
}

async function runToEnd(body: Record<string, unknown>): Promise<RunView> {
  const res = await createRun(
    new Request("http://localhost/api/runs", { method: "POST", headers: { ...AUTH, "content-type": "application/json" }, body: JSON.stringify(body) }),
    ctx({}),
  );
  expect(res.status).toBe(202);
  const { id } = RunViewSchema.parse(await res.json());
  for (;;) {
    const v = RunViewSchema.parse(await (await getRun(new Request(`http://localhost/api/runs/${id}`, { headers: AUTH }), ctx({ id }))).json());
    if (["completed", "partial", "cancelled", "failed"].includes(v.status)) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
}

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "medgpt-compare-"));
  const recordings = path.join(tmp, "recordings.jsonl");
  writeRecordings(recordings);
  standin = await startOllamaStandin({ recordingsPath: recordings });
  for (const k of ENV_KEYS) vi.stubEnv(k, "");
  vi.stubEnv("ADMIN_TOKEN", TOKEN);
  vi.stubEnv("MEDGPT_DB_PATH", path.join(tmp, "medgpt.db"));
  vi.stubEnv("OLLAMA_HOST", standin.url);
  vi.stubEnv("MEDGPT_JUDGE", "none");

  const main = await importText(datasetText(CASES), "six cases");
  const second = await importText(datasetText([{ caseText: "Another dataset's only case. Which?", options: OPTS, reference: "B" }]), "other");
  both = await runToEnd({ datasetId: main, models: [MEDGPT, GEMMA] });
  firstThree = await runToEnd({ datasetId: main, models: [MEDGPT], limit: 3 });
  other = await runToEnd({ datasetId: second, models: [MEDGPT] });
  expect([both.status, firstThree.status, other.status]).toEqual(["completed", "completed", "completed"]);
});
afterAll(async () => {
  await stopAllRuns();
  await standin.stop();
  vi.unstubAllEnvs();
  rmSync(tmp, { recursive: true, force: true });
});

function compare(q: Record<string, string>) {
  return GET(new Request(`http://localhost/api/compare?${new URLSearchParams(q)}`, { headers: AUTH }), ctx({}));
}
async function comparison(q: Record<string, string>) {
  const res = await compare(q);
  expect(res.status).toBe(200);
  return ComparisonSchema.parse(await res.json());
}
async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const body = ErrorEnvelopeSchema.parse(await res.json());
  expect(body.error.code).toBe(code);
  return body.error;
}

describe("GET /api/compare", () => {
  it("two models of one run: paired count, accuracies, discordant pairs, McNemar p and the differing items", async () => {
    const c = await comparison({ runA: both.id, modelA: MEDGPT, runB: both.id, modelB: GEMMA });
    expect(c.a).toEqual({ runId: both.id, model: MEDGPT });
    expect(c.b).toEqual({ runId: both.id, model: GEMMA });
    expect(c.paired).toBe(6);
    // Fine-tune right on 0, 2, 3, 4; base right on 0 only.
    expect(c.accuracyA).toBeCloseTo(4 / 6, 4);
    expect(c.accuracyB).toBeCloseTo(1 / 6, 4);
    expect(c.accuracyDiff).toBeCloseTo(0.5, 4);
    expect(c.discordant).toEqual({ aOnly: 3, bOnly: 0 });
    expect(c.mcnemarP).toBeGreaterThanOrEqual(0);
    expect(c.mcnemarP).toBeLessThanOrEqual(1);
    expect(c.mcnemarP).toBeCloseTo(2 * 0.5 ** 3, 6); // exact two-sided test, 3 vs 0 discordant pairs
    expect(c.differing).toEqual([
      { itemIdx: 2, letterA: "A", letterB: "C", exactA: true, exactB: false },
      { itemIdx: 3, letterA: "D", letterB: null, exactA: true, exactB: false },
      { itemIdx: 4, letterA: "C", letterB: "A", exactA: true, exactB: false },
      { itemIdx: 5, letterA: "C", letterB: "D", exactA: false, exactB: false },
    ]);
    expect(c.judge).toEqual({ wins: 0, losses: 0, ties: 0, skipped: 6 }); // no judge: nothing to compare
  });

  it("swapping the sides mirrors the result", async () => {
    const c = await comparison({ runA: both.id, modelA: GEMMA, runB: both.id, modelB: MEDGPT });
    expect(c.discordant).toEqual({ aOnly: 0, bOnly: 3 });
    expect(c.accuracyDiff).toBeCloseTo(-0.5, 4);
    expect(c.mcnemarP).toBeCloseTo(0.25, 6);
    expect(c.differing.map((d) => [d.itemIdx, d.letterA, d.letterB])).toEqual([[2, "C", "A"], [3, null, "D"], [4, "A", "C"], [5, "D", "C"]]);
  });

  it("a model against itself: no differences, p = 1", async () => {
    const c = await comparison({ runA: both.id, modelA: MEDGPT, runB: both.id, modelB: MEDGPT });
    expect(c).toMatchObject({ paired: 6, accuracyDiff: 0, discordant: { aOnly: 0, bOnly: 0 }, mcnemarP: 1, differing: [] });
  });

  it("two runs on the same dataset are paired on the items both completed", async () => {
    const c = await comparison({ runA: firstThree.id, modelA: MEDGPT, runB: both.id, modelB: GEMMA });
    expect(c.paired).toBe(3);
    expect(c.differing.map((d) => d.itemIdx)).toEqual([2]);
    expect(c.discordant).toEqual({ aOnly: 1, bOnly: 0 });
    expect(c.mcnemarP).toBeCloseTo(1, 6);
  });

  it("runs on different datasets → 400", async () => {
    const error = await expectError(await compare({ runA: both.id, modelA: MEDGPT, runB: other.id, modelB: MEDGPT }), 400, "invalid_request");
    expect(error.message).toMatch(/different datasets/);
  });

  it("a model the run does not have → 400 naming it; an unknown run → 404", async () => {
    const error = await expectError(await compare({ runA: firstThree.id, modelA: GEMMA, runB: both.id, modelB: MEDGPT }), 400, "invalid_request");
    expect(error.message).toMatch(/gemma2:2b/);
    await expectError(await compare({ runA: "run_nope", modelA: MEDGPT, runB: both.id, modelB: MEDGPT }), 404, "not_found");
  });

  it("missing parameters → 400 with issues", async () => {
    const error = await expectError(await compare({ runA: both.id, modelA: MEDGPT, runB: both.id }), 400, "invalid_request");
    expect(error.issues?.map((i) => i.path)).toEqual([["modelB"]]);
    const none = await expectError(await compare({}), 400, "invalid_request");
    expect(none.issues?.length).toBe(4);
  });
});
