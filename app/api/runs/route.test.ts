import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { RunView } from "@/eval/api/schemas";
import { EXPORT_COLUMNS } from "@/eval/report/export";
import { expectError } from "@/test-support/api";
import {
  createRun,
  detail,
  exported,
  getRun,
  importDataset,
  item,
  labelRun,
  listJudges,
  patchRun,
  runToEnd,
  listRuns,
  mirror,
  page,
  results,
  startRun,
  startRunServer,
  viewRun,
  type RunServer,
  waitForRun,
} from "@/test-support/api-client";
import { plantedProbabilities } from "@/test-support/planted-logprobs";
import { MR_INSTRUCTION, mrInput, mrRow, type Options } from "@/test-support/mr-dataset";
import type { OllamaStandin } from "@/test-support/ollama-standin";
import { GEMMA, MEDGPT } from "@/test-support/ollama-models";

/**
 * The evaluation-run API end to end: the real routes, runner (in the background, as in the server), database (a temp
 * file), prompt builder and answer parser, against the Ollama stand-in.
 *
 * What the stand-in answers (test-support/ollama-standin.ts `replyFor`): for a case it has a recording of, the
 * recorded reply of that model (here a recordings file written by this test); for any other case the made-up
 * reply, which always picks option B, whatever the model.
 */

// ---------------------------------------------------------------------------------------------------------------
// The dataset: medical-reasoning JSONL written for this test.

type Case = { caseText: string; options: Options; reference: string; reasoning: string; line: number };

const CASES: Case[] = [
  {
    caseText:
      "A 30-year-old woman has a dry cough, erythema nodosum and bilateral hilar lymphadenopathy. Which is the most likely diagnosis?",
    options: { A: "Asthma", B: "Sarcoidosis", C: "Tuberculosis", D: "GERD" },
    reference: "B",
    reasoning: "Erythema nodosum with bilateral hilar lymphadenopathy is Lofgren syndrome.",
    line: 1,
  },
  {
    // Commas, double quotes and a line break in the case text (CSV quoting).
    caseText:
      'A 54-year-old man says "it burns, doc, right here" after meals.\nHe smokes, and antacids help. Which is the most likely diagnosis?',
    options: { A: "Angina", B: "Biliary colic", C: "Peptic ulcer disease", D: "Pancreatitis" },
    reference: "C",
    reasoning: "Burning epigastric pain relieved by antacids in a smoker suggests an ulcer.",
    line: 2,
  },
  // line 3: a broken row (no <answer> block)
  {
    // Starts with "=": a spreadsheet would run it as a formula (CSV export must neutralise it).
    caseText:
      '=HYPERLINK("http://evil.example","click") A 40-year-old man has polyuria and polydipsia. Which test comes first?',
    options: { A: "HbA1c", B: "Fasting plasma glucose", C: "C-peptide" },
    reference: "B",
    reasoning: "Fasting glucose is the first test.",
    line: 4,
  },
  {
    // Recorded below: the fine-tune answers A, the base model C.
    caseText:
      "A 25-year-old returns from a safari with fever every 48 hours and ring forms on the blood smear. Which is the most likely cause?",
    options: { A: "Plasmodium vivax", B: "Dengue virus", C: "Salmonella typhi", D: "Leptospira" },
    reference: "A",
    reasoning: "Tertian fever with ring forms after travel is malaria.",
    line: 5,
  },
  {
    // Recorded below: the fine-tune answers D, the base model names no option at all.
    caseText:
      "A 62-year-old woman has a resting tremor, rigidity and a shuffling gait. Which drug is most appropriate?",
    options: { A: "Haloperidol", B: "Propranolol", C: "Metoclopramide", D: "Levodopa-carbidopa" },
    reference: "D",
    reasoning: "Parkinson disease is treated with levodopa.",
    line: 6,
  },
];
const BROKEN_ROW = JSON.stringify({
  instruction: MR_INSTRUCTION,
  input: mrInput("A child has a rash. Which?", { A: "x", B: "y" }),
  output: "no tags",
});
const DATASET_TEXT = [
  ...CASES.slice(0, 2).map((c) => mrRow(c.caseText, c.options, c.reference, c.reasoning)),
  BROKEN_ROW,
  ...CASES.slice(2).map((c) => mrRow(c.caseText, c.options, c.reference, c.reasoning)),
].join("\n");

const RECORDED: Record<number, { medgpt: string; base: string }> = {
  3: {
    medgpt:
      "<analysis>\nCyclic fever every 48 hours with ring forms: tertian malaria.\n</analysis>\n<answer>\nA: Plasmodium vivax\n</answer>",
    base: "<analysis>\nFever after travel could be enteric fever.\n</analysis>\n<answer>\nC: Salmonella typhi\n</answer>",
  },
  4: {
    medgpt: "<analysis>\nClassic parkinsonism.\n</analysis>\n<answer>\nD: Levodopa-carbidopa\n</answer>",
    base: "This patient needs a neurologist; more information is required before choosing a treatment.",
  },
};
/** [fine-tune letter, base letter] per item: the made-up reply names B. */
const LETTERS: [string, string | null][] = [
  ["B", "B"],
  ["B", "B"],
  ["B", "B"],
  ["A", "C"],
  ["D", null],
];

// ---------------------------------------------------------------------------------------------------------------

let server: RunServer;
let standin: OllamaStandin;
let datasetId = "";

beforeAll(async () => {
  const recordings = Object.entries(RECORDED).map(([idx, r]) => {
    const c = CASES[Number(idx)]!;
    return { index: Number(idx), input: mrInput(c.caseText, c.options), ...r };
  });
  server = await startRunServer("medgpt-runs-", { recordings });
  standin = server.ollama;
  vi.spyOn(console, "info").mockImplementation(() => {});

  const body = await importDataset(DATASET_TEXT, "runs-test");
  expect(body.accepted).toBe(CASES.length);
  expect(body.rejected.map((r) => r.line)).toEqual([3]);
  datasetId = body.dataset.id;
});
afterAll(async () => {
  await server.stop();
  vi.restoreAllMocks();
});
beforeEach(() => standin.restore());

// ---------------------------------------------------------------------------------------------------------------
// Helpers

const runCount = async () => (await listRuns()).length;

/** Wilson score interval, written out independently of eval/scorers/stats.ts. */
function wilson(k: number, n: number): [number, number] {
  const z2 = 1.96 ** 2;
  const p = k / n;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (1.96 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return [centre - half, centre + half];
}

/** Strict RFC 4180 reader: CRLF record ends, quoted cells with "" escapes; anything else throws. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
      continue;
    }
    if (ch === '"') {
      if (cell !== "" || wasQuoted) throw new Error(`stray quote at ${i}`);
      quoted = wasQuoted = true;
    } else if (ch === ",") {
      row.push(cell);
      cell = "";
      wasQuoted = false;
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      wasQuoted = false;
      i++;
    } else if (ch === "\r" || ch === "\n") throw new Error(`line break outside quotes at ${i}`);
    else {
      if (wasQuoted) throw new Error(`text after a closing quote at ${i}`);
      cell += ch;
    }
  }
  if (quoted || cell !== "" || row.length > 0) throw new Error("the last record does not end with CRLF");
  return rows;
}

// ---------------------------------------------------------------------------------------------------------------

describe("GET /api/judges without GROQ_API_KEY", () => {
  it("says Groq cannot be used and why, so the dashboard does not offer it; the default judge is none", async () => {
    const judges = await listJudges();
    expect(judges.default).toBe("none");
    expect(judges.providers.find((p) => p.provider === "groq")).toMatchObject({
      available: false,
      reason: expect.stringContaining("GROQ_API_KEY"),
    });
    expect(judges.providers.find((p) => p.provider === "ollama")).toMatchObject({ available: true });
  });

  it("an Ollama that is down or has no model cannot judge, and says why", async () => {
    server.ollama.setModels([]);
    try {
      expect((await listJudges()).providers.find((p) => p.provider === "ollama")).toMatchObject({
        available: false,
        reason: "no model is pulled in Ollama to judge with",
      });
      await server.ollama.goDown();
      expect((await listJudges()).providers.find((p) => p.provider === "ollama")).toMatchObject({
        available: false,
        reason: expect.stringMatching(/^Ollama is not reachable at http:\/\/127\.0\.0\.1:\d+$/),
      });
    } finally {
      await server.ollama.comeUp();
      server.ollama.setModels(["mrizwank97/medgpt:latest", "gemma2:2b"]);
    }
  });
});

describe("POST /api/runs refuses bad requests before any work", () => {
  it("bad bodies → 400 invalid_request with issues pointing at the field", async () => {
    const cases: [unknown, (string | number)[]][] = [
      [{ datasetId }, ["models"]],
      [{ datasetId, models: [] }, ["models"]],
      [{ datasetId, models: [MEDGPT, GEMMA, "a", "b", "c"] }, ["models"]],
      [{ datasetId, models: ["has space"] }, ["models", 0]],
      [{ datasetId, models: [MEDGPT], colour: "red" }, ["colour"]],
      [{ datasetId, models: [MEDGPT], judge: "foo" }, ["judge"]],
      [{ datasetId, models: [MEDGPT], limit: 0 }, ["limit"]],
      [{ datasetId, models: [MEDGPT], limit: 1.5 }, ["limit"]],
      [{ datasetId, models: [MEDGPT], temperature: 3 }, ["temperature"]],
      [{ models: [MEDGPT] }, ["datasetId"]],
    ];
    const before = await runCount();
    for (const [body, at] of cases) {
      const error = await expectError(await createRun(body), 400, "invalid_request");
      expect(error.issues, JSON.stringify(body)).toBeDefined();
      expect(
        error.issues!.map((i) => i.path),
        JSON.stringify(body),
      ).toContainEqual(at);
    }
    const unknown = await expectError(
      await createRun({ datasetId, models: [MEDGPT], colour: "red" }),
      400,
      "invalid_request",
    );
    expect(unknown.issues!.find((i) => i.path[0] === "colour")!.message).toMatch(/unknown field "colour"/);
    expect(await runCount()).toBe(before);
    expect(standin.requests.filter((r) => r.path === "/api/generate" || r.path === "/api/chat")).toHaveLength(0);
  });

  it("not JSON → 415; malformed JSON → 400 invalid_json", async () => {
    await expectError(
      await createRun(`datasetId=${datasetId}`, "application/x-www-form-urlencoded"),
      415,
      "unsupported_media_type",
    );
    await expectError(await createRun("{nope"), 400, "invalid_json");
  });

  it("an unknown dataset → 404 not_found", async () => {
    const error = await expectError(await createRun({ datasetId: "ds_missing", models: [MEDGPT] }), 404, "not_found");
    expect(error.message).toMatch(/ds_missing/);
  });

  it("a model the server lacks → 404 model_not_found with the pull command as the fix, and no run", async () => {
    const before = await runCount();
    const error = await expectError(
      await createRun({ datasetId, models: [MEDGPT, "nope:1b"] }),
      404,
      "model_not_found",
    );
    expect(error.message).toMatch(/nope:1b/);
    expect(error.fix).toMatch(/ollama pull nope:1b/);
    expect(await runCount()).toBe(before);
  });

  it("an ollama judge model the server lacks → 404 model_not_found naming the judge", async () => {
    const error = await expectError(
      await createRun({ datasetId, models: [MEDGPT], judge: "ollama:judge-missing:7b" }),
      404,
      "model_not_found",
    );
    expect(error.message).toMatch(/judge-missing:7b/);
    expect(error.fix).toMatch(/ollama pull judge-missing:7b/);
  });

  it("the model server down → 503 upstream_unavailable", async () => {
    await standin.goDown();
    try {
      const before = await runCount();
      const error = await expectError(await createRun({ datasetId, models: [MEDGPT] }), 503, "upstream_unavailable");
      expect(error.fix).toMatch(/OLLAMA_HOST|ollama serve/);
      expect(await runCount()).toBe(before);
    } finally {
      await standin.comeUp();
    }
  });

  it("the model server down with an ollama judge → still 503 upstream_unavailable, not a missing judge model", async () => {
    await standin.goDown();
    try {
      const error = await expectError(
        await createRun({ datasetId, models: [MEDGPT], judge: `ollama:${GEMMA}` }),
        503,
        "upstream_unavailable",
      );
      expect(error.fix).toMatch(/OLLAMA_HOST|ollama serve/);
    } finally {
      await standin.comeUp();
    }
  });

  it("a groq judge without GROQ_API_KEY → 400 naming GROQ_API_KEY", async () => {
    const error = await expectError(
      await createRun({ datasetId, models: [MEDGPT], judge: "groq:openai/gpt-oss-120b" }),
      400,
      "invalid_request",
    );
    expect(error.message).toMatch(/GROQ_API_KEY/);
    expect(error.issues).toEqual([{ path: ["judge"], message: expect.stringMatching(/GROQ_API_KEY/) }]);
  });

  it("GET of an unknown run → 404", async () => {
    await expectError(await getRun("run_nope"), 404, "not_found");
    await expectError(await results("run_nope", ""), 404, "not_found");
    await expectError(await item("run_nope", "0"), 404, "not_found");
    await expectError(await exported("run_nope", "csv"), 404, "not_found");
  });
});

describe("self-consistency through the API", () => {
  it("samples: 3 at temperature 0.5 keeps every sample and reports the vote; at temperature 0 it is refused", async () => {
    await expectError(await createRun({ datasetId, models: [MEDGPT], samples: 3 }), 400, "invalid_request");
    const run = await runToEnd({ datasetId, models: [MEDGPT], samples: 3, temperature: 0.5, limit: 2 });
    expect(run.settings.samples).toBe(3);
    const d = await detail(run.id, 0);
    expect(d.answers[0]!.samples).toHaveLength(3);
    expect(d.answers[0]).toMatchObject({ voteLetter: "B", agreement: 1 });
    // The two questions' references are B and C; every sample says B.
    expect(run.summary![0]!.vote).toMatchObject({ correct: 1, accuracy: 0.5 });
    expect(run.summary![0]!.vote!.calibration).toMatchObject({ n: 2, ece: 0.5 });
  });
});

describe("a completed two-model run", () => {
  let run: RunView;

  beforeAll(async () => {
    const queued = await startRun({ datasetId, models: [MEDGPT, GEMMA], judge: "none" });
    expect(["queued", "running"]).toContain(queued.status);
    expect(queued).toMatchObject({
      datasetId,
      datasetName: "runs-test",
      models: [MEDGPT, GEMMA],
      items: 5,
      total: 10,
      judge: null,
      mirror: { status: "disabled" },
    });
    run = await waitForRun(queued.id);
  });

  it("ends completed, with every item × model done and listed in GET /api/runs", async () => {
    expect(run).toMatchObject({
      status: "completed",
      items: 5,
      total: 10,
      done: 10,
      errors: 0,
      judged: 0,
      error: null,
    });
    expect(run.startedAt).not.toBeNull();
    expect(run.finishedAt).not.toBeNull();
    const listed = (await listRuns()).find((r) => r.id === run.id);
    expect(listed).toMatchObject({ status: "completed", done: 10 });
    // The list compares runs at a glance: each carries its per-model summary and its warnings.
    expect(listed!.summary?.map((s) => s.model)).toEqual([MEDGPT, GEMMA]);
    expect(listed!.warnings).toEqual([]);
  });

  it("every admin answer is no-store (they hold case text): a run, an export, an error", async () => {
    for (const res of [
      await getRun(run.id),
      await exported(run.id, "csv"),
      await exported(run.id, "jsonl"),
      await getRun("run_nope"),
    ]) {
      expect(res.headers.get("cache-control")).toBe("no-store");
    }
  });

  it("shows the settings the run was created with", () => {
    expect(run.settings).toMatchObject({
      models: [MEDGPT, GEMMA],
      backend: "ollama",
      samples: 1,
      promptFormats: { [MEDGPT]: "medgpt-raw", [GEMMA]: "chat" },
      judge: null,
      judgePromptVersion: null,
      createdBy: "API (admin token)",
    });
  });

  it("PATCH names the run and keeps notes; an empty name clears it; bad bodies are 400", async () => {
    const named = await labelRun(run.id, { name: "  Fine-tune vs base, greedy ", notes: "baseline for the paper" });
    expect(named).toMatchObject({ name: "Fine-tune vs base, greedy", notes: "baseline for the paper" });
    expect((await viewRun(run.id)).name).toBe("Fine-tune vs base, greedy");
    expect(await labelRun(run.id, { name: "" })).toMatchObject({ name: null, notes: "baseline for the paper" });
    await expectError(await patchRun(run.id, { name: 7 }), 400, "invalid_request");
    await expectError(await patchRun(run.id, { colour: "red" }), 400, "invalid_request");
    await expectError(await patchRun("run_nope", { name: "x" }), 404, "not_found");
  });

  it("summarises each model: accuracy with its Wilson interval, format, latency percentiles, errors", () => {
    const summary = run.summary!;
    expect(summary.map((s) => s.model)).toEqual([MEDGPT, GEMMA]);
    const [fine, base] = summary as [NonNullable<RunView["summary"]>[number], NonNullable<RunView["summary"]>[number]];
    // Fine-tune: B, B, B, A, D against B, C, B, A, D → 4/5; the base model: B, B, B, C, — → 2/5.
    expect(fine).toMatchObject({
      total: 5,
      completed: 5,
      answered: 5,
      correct: 4,
      accuracy: 0.8,
      formatOk: 5,
      errors: 0,
      judged: 0,
      judgeMean: null,
    });
    expect(base).toMatchObject({
      total: 5,
      completed: 5,
      answered: 4,
      correct: 2,
      accuracy: 0.4,
      formatOk: 4,
      errors: 0,
      judged: 0,
      judgeMean: null,
    });
    for (const [s, k] of [
      [fine, 4],
      [base, 2],
    ] as const) {
      const [lo, hi] = wilson(k, 5);
      expect(s.accuracyCi![0]).toBeCloseTo(lo, 3);
      expect(s.accuracyCi![1]).toBeCloseTo(hi, 3);
      expect(s.accuracyCi![0]).toBeLessThan(s.accuracy!);
      expect(s.accuracyCi![1]).toBeGreaterThan(s.accuracy!);
      expect(s.latencyP50Ms).toBeGreaterThanOrEqual(0);
      expect(s.latencyP95Ms).toBeGreaterThanOrEqual(s.latencyP50Ms!);
    }
  });

  it("results: every item, in dataset order, with each model's letter and correctness", async () => {
    const p = await page(run.id, "");
    expect(p).toMatchObject({ page: 1, pageSize: 25, totalRows: 5 });
    expect(p.rows.map((r) => r.itemIdx)).toEqual([0, 1, 2, 3, 4]);
    expect(p.rows.map((r) => r.reference)).toEqual(CASES.map((c) => c.reference));
    expect(p.rows.map((r) => r.answers.map((a) => a.letter))).toEqual(LETTERS);
    expect(p.rows.map((r) => r.answers.map((a) => a.model))).toEqual(Array(5).fill([MEDGPT, GEMMA]));
    expect(p.rows[3]!.answers.map((a) => a.exact)).toEqual([true, false]);
    expect(p.rows[4]!.answers.map((a) => a.formatOk)).toEqual([true, false]);
    expect(
      p.rows.every((r) => r.answers.every((a) => a.status === "ok" && a.error === null && a.judgeScore === null)),
    ).toBe(true);
    expect(p.rows[1]!.caseExcerpt).toBe(CASES[1]!.caseText);
  });

  it("results filters: wrong, wrong for one model, errors, disagree", async () => {
    const idxs = async (q: string) => {
      const p = await page(run.id, q);
      expect(p.totalRows).toBe(p.rows.length);
      return p.rows.map((r) => r.itemIdx);
    };
    expect(await idxs("filter=wrong")).toEqual([1, 3, 4]);
    expect(await idxs(`filter=wrong&model=${encodeURIComponent(MEDGPT)}`)).toEqual([1]);
    expect(await idxs(`filter=wrong&model=${encodeURIComponent(GEMMA)}`)).toEqual([1, 3, 4]);
    expect(await idxs("filter=errors")).toEqual([]);
    expect(await idxs("filter=disagree")).toEqual([3, 4]);
    expect(await idxs("filter=all")).toEqual([0, 1, 2, 3, 4]);
    expect(await idxs("filter=unparseable")).toEqual([]);
  });

  it("results search: q matches case text (case-insensitively) and option text", async () => {
    const idxs = async (q: string) => (await page(run.id, `q=${encodeURIComponent(q)}`)).rows.map((r) => r.itemIdx);
    expect(await idxs("it burns, doc")).toEqual([1]);
    expect(await idxs("HILAR LYMPH")).toEqual([0]);
    expect(await idxs("plasmodium")).toEqual([3]);
    expect(await idxs("no such words anywhere")).toEqual([]);
    // q combines with a filter.
    expect((await page(run.id, "filter=disagree&q=tremor")).rows.map((r) => r.itemIdx)).toEqual([4]);
    expect((await page(run.id, "filter=wrong&q=tremor&model=mrizwank97%2Fmedgpt")).totalRows).toBe(0);
  });

  it("results paging: totalRows counts every matching row, each page holds pageSize of them", async () => {
    const p2 = await page(run.id, "page=2&pageSize=2");
    expect(p2).toMatchObject({ page: 2, pageSize: 2, totalRows: 5 });
    expect(p2.rows.map((r) => r.itemIdx)).toEqual([2, 3]);
    expect((await page(run.id, "page=3&pageSize=2")).rows.map((r) => r.itemIdx)).toEqual([4]);
    const beyond = await page(run.id, "page=9&pageSize=2");
    expect(beyond).toMatchObject({ totalRows: 5, rows: [] });
    const wrong2 = await page(run.id, "filter=wrong&page=2&pageSize=2");
    expect(wrong2.totalRows).toBe(3);
    expect(wrong2.rows.map((r) => r.itemIdx)).toEqual([4]);
  });

  it("invalid result queries → 400 with issues", async () => {
    for (const q of ["pageSize=0", "pageSize=201", "page=0", "page=abc", "filter=bogus", `q=${"x".repeat(201)}`]) {
      const error = await expectError(await results(run.id, q), 400, "invalid_request");
      expect(error.issues?.length ?? 0, q).toBeGreaterThan(0);
    }
  });

  it("items/{idx}: the case, options, reference and each model's raw reply and letter", async () => {
    const d = await detail(run.id, 1);
    const c = CASES[1]!;
    expect(d).toMatchObject({ itemIdx: 1, sourceLine: 2, caseText: c.caseText, options: c.options });
    expect(d.reference).toEqual({ letter: "C", text: "Peptic ulcer disease", reasoning: c.reasoning });
    expect(d.answers.map((a) => a.model)).toEqual([MEDGPT, GEMMA]);
    for (const a of d.answers) {
      expect(a).toMatchObject({
        status: "ok",
        letter: "B",
        exact: false,
        formatOk: true,
        attempts: 1,
        error: null,
        judgeExplanation: null,
      });
      expect(a.raw).toContain("<answer>\nB: Biliary colic\n</answer>");
      expect(a.analysis).toContain("it burns, doc");
    }

    const recorded = await detail(run.id, 3);
    expect(recorded.sourceLine).toBe(5); // the broken line 3 shifts the items after it
    expect(recorded.answers.map((a) => [a.letter, a.exact, a.raw])).toEqual([
      ["A", true, RECORDED[3]!.medgpt],
      ["C", false, RECORDED[3]!.base],
    ]);
    const unanswered = await detail(run.id, 4);
    expect(unanswered.answers[1]).toMatchObject({
      letter: null,
      exact: false,
      formatOk: false,
      raw: RECORDED[4]!.base,
    });
  });

  it("items/{idx}: numbered from 1, with the previous and next question, and the answer's probabilities", async () => {
    const first = await detail(run.id, 0);
    expect(first).toMatchObject({ itemIdx: 0, number: 1, previous: null, next: 1 });
    expect((await detail(run.id, 4)).next).toBeNull();
    expect((await detail(run.id, 2)).previous).toBe(1);
    // The stand-in planted log-probabilities at the answer letter; options A–D offered.
    const b = first.answers[0]!;
    expect(b.confidence).toBeCloseTo(plantedProbabilities("B", ["A", "B", "C", "D"]).B!, 5);
    expect(Object.keys(b.probabilities ?? {}).sort()).toEqual(["A", "B", "C", "D"]);
    expect(b.samples).toEqual([]);
    const page1 = await page(run.id, "pageSize=1");
    expect(page1.rows[0]).toMatchObject({ itemIdx: 0, number: 1 });
    expect(page1.rows[0]!.answers[0]!.confidence).toBeCloseTo(b.confidence!, 6);
  });

  it("items/{idx} outside the run → 404; a malformed index → 400", async () => {
    const missing = await expectError(await item(run.id, "5"), 404, "not_found");
    expect(missing.message).toMatch(/5/);
    for (const idx of ["-1", "1.5", "abc"]) await expectError(await item(run.id, idx), 400, "invalid_request");
  });

  it("export csv: the header, one row per item × model, RFC 4180 quoting and formula neutralising", async () => {
    const res = await exported(run.id, "csv");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="${run.id}.csv"`);
    const text = await res.text();
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([...EXPORT_COLUMNS]);
    for (const name of [
      "run_id",
      "item_idx",
      "source_line",
      "model",
      "reference",
      "letter",
      "exact",
      "format_ok",
      "status",
      "case",
      "raw",
    ]) {
      expect(header).toContain(name);
    }
    expect(rows).toHaveLength(10);
    const col = (r: string[], name: string) => r[header!.indexOf(name)]!;
    expect(rows.every((r) => r.length === header!.length)).toBe(true);
    expect(rows.every((r) => col(r, "run_id") === run.id)).toBe(true);
    expect(rows.map((r) => `${col(r, "item_idx")}|${col(r, "model")}`).sort()).toEqual(
      [0, 1, 2, 3, 4].flatMap((i) => [`${i}|${MEDGPT}`, `${i}|${GEMMA}`]).sort(),
    );
    // Dataset order.
    expect(rows.map((r) => Number(col(r, "item_idx")))).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
    const at = (idx: number, model: string) =>
      rows.find((r) => col(r, "item_idx") === String(idx) && col(r, "model") === model)!;

    expect(col(at(0, MEDGPT), "source_line")).toBe("1");
    expect(col(at(3, MEDGPT), "source_line")).toBe("5");
    expect([col(at(3, GEMMA), "letter"), col(at(3, GEMMA), "exact"), col(at(3, GEMMA), "reference")]).toEqual([
      "C",
      "false",
      "A",
    ]);
    expect([col(at(4, GEMMA), "letter"), col(at(4, GEMMA), "format_ok")]).toEqual(["", "false"]);
    expect([col(at(3, MEDGPT), "exact"), col(at(3, MEDGPT), "status"), col(at(3, MEDGPT), "attempts")]).toEqual([
      "true",
      "ok",
      "1",
    ]);

    // Commas, quotes and a line break survive a round trip; in the raw text the quotes are doubled inside quotes.
    expect(col(at(1, MEDGPT), "case")).toBe(CASES[1]!.caseText);
    expect(text).toContain(
      '"A 54-year-old man says ""it burns, doc, right here"" after meals.\nHe smokes, and antacids help.',
    );
    // A case starting with "=" is prefixed with ' so a spreadsheet shows it instead of running it.
    expect(col(at(2, MEDGPT), "case")).toBe(`'${CASES[2]!.caseText}`);
    expect(rows.every((r) => r.every((cell) => !/^[=+@]/.test(cell)))).toBe(true);
    // Raw replies round-trip too.
    expect(col(at(3, MEDGPT), "raw")).toBe(RECORDED[3]!.medgpt);
  });

  it("export defaults to csv", async () => {
    const res = await exported(run.id);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
  });

  it("export jsonl: one JSON object per line with every column and typed values", async () => {
    const res = await exported(run.id, "jsonl");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/x-ndjson/);
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="${run.id}.jsonl"`);
    const text = await res.text();
    expect(text.endsWith("\n")).toBe(true);
    const lines = text
      .slice(0, -1)
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(10);
    for (const l of lines) expect(Object.keys(l)).toEqual([...EXPORT_COLUMNS]);
    const at = (idx: number, model: string) => lines.find((l) => l.item_idx === idx && l.model === model)!;
    expect(at(2, MEDGPT).case).toBe(CASES[2]!.caseText); // JSON needs no formula prefix
    expect(at(1, GEMMA).case).toBe(CASES[1]!.caseText);
    expect(at(3, GEMMA)).toMatchObject({
      run_id: run.id,
      source_line: 5,
      reference: "A",
      letter: "C",
      exact: false,
      format_ok: true,
      status: "ok",
      error: null,
      attempts: 1,
      raw: RECORDED[3]!.base,
    });
    expect(at(4, GEMMA)).toMatchObject({
      letter: null,
      exact: false,
      format_ok: false,
      judge_status: null,
      judge_score: null,
    });
    expect(typeof at(0, MEDGPT).latency_ms).toBe("number");
  });

  it("export with another format → 400", async () => {
    const error = await expectError(await exported(run.id, "xml"), 400, "invalid_request");
    expect(error.message).toMatch(/csv.*jsonl/);
  });

  it("POST mirror without Weave configured → 400 with the fix naming WANDB_API_KEY and WEAVE_PROJECT", async () => {
    const error = await expectError(await mirror(run.id), 400, "invalid_request");
    expect(error.fix).toMatch(/WANDB_API_KEY/);
    expect(error.fix).toMatch(/WEAVE_PROJECT/);
    expect((await viewRun(run.id)).mirror).toEqual({ status: "disabled", error: null, url: null });
    await expectError(await mirror("run_nope"), 404, "not_found");
  });
});

describe("a run whose model disappears while it runs", () => {
  it("stops as failed with the reason instead of recording an error per item", async () => {
    standin.setTokenDelay(5); // the fine-tune's items (first in line) take a moment
    const queued = await startRun({ datasetId, models: [MEDGPT, GEMMA], limit: 2, concurrency: 1 });
    standin.setModels(["mrizwank97/medgpt:latest"]); // gemma2:2b is removed from the server after the preflight
    const run = await waitForRun(queued.id);
    expect(run.status).toBe("failed");
    expect(run.error).toMatch(/gemma2:2b/);
    expect(run.summary!.map((s) => [s.model, s.completed, s.errors])).toEqual([
      [MEDGPT, 2, 0],
      [GEMMA, 0, 0],
    ]);
  });
});

describe("a run whose generations fail", () => {
  it("records the failing item as an error with its reason, ends partial, and shows it under filter=errors", async () => {
    // Concurrency 1: the first four generate requests are the first item's four attempts (the runner's default).
    standin.setFault({ kind: "http500" }, { times: 4 });
    const queued = await startRun({ datasetId, models: [MEDGPT], limit: 2, concurrency: 1 });
    expect(queued).toMatchObject({ items: 2, total: 2 });
    const run = await waitForRun(queued.id);
    expect(run).toMatchObject({ status: "partial", done: 2, errors: 1 });
    expect(run.summary![0]).toMatchObject({
      model: MEDGPT,
      total: 2,
      completed: 1,
      correct: 0,
      accuracy: 0,
      errors: 1,
    });

    const errors = await page(run.id, "filter=errors");
    expect(errors.totalRows).toBe(1);
    expect(errors.rows[0]!.itemIdx).toBe(0);
    expect(errors.rows[0]!.answers[0]).toMatchObject({ status: "error", letter: null });
    expect(errors.rows[0]!.answers[0]!.error).toMatch(/upstream_error/);
    expect((await page(run.id, "filter=wrong")).rows.map((r) => r.itemIdx)).toEqual([1]);

    const d = await detail(run.id, 0);
    expect(d.answers[0]).toMatchObject({ status: "error", attempts: 4, raw: null });
    // Items of the dataset that the run does not cover are not part of it.
    await expectError(await item(run.id, "3"), 404, "not_found");

    const csv = parseCsv(await (await exported(run.id, "csv")).text());
    const header = csv[0]!;
    expect(csv.slice(1).map((r) => [r[header.indexOf("status")], r[header.indexOf("attempts")]])).toEqual([
      ["error", "4"],
      ["ok", "1"],
    ]);
  });
});
