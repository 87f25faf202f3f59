import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { RunView } from "@/eval/api/schemas";
import { expectError } from "@/test-support/api";
import {
  importDataset,
  page,
  results,
  startRun,
  startRunServer,
  waitForRun,
  type RunServer,
} from "@/test-support/api-client";
import { mrInput, mrRow, type Options } from "@/test-support/mr-dataset";
import type { OllamaStandin } from "@/test-support/ollama-standin";
import { GEMMA, MEDGPT } from "@/test-support/ollama-models";

/**
 * GET /api/runs/{id}/results filters against real runs (routes, runner, database in a temp file, the Ollama
 * stand-in): `disagree` compares only the answers (status ok) of the selected models, a model filter keeps the
 * questions that model has a result for, and a model the run does not have is refused.
 */

type Case = { caseText: string; options: Options; reference: string; medgpt?: string; base?: string };

/**
 * Item 0: not recorded, both models answer B (the stand-in's made-up reply). Item 1: the fine-tune answers A, the base
 * model C. Item 2: the fine-tune answers D, the base model names no option.
 */
const CASES: Case[] = [
  {
    caseText:
      "A 30-year-old woman has a dry cough, erythema nodosum and bilateral hilar lymphadenopathy. Which is the most likely diagnosis?",
    options: { A: "Asthma", B: "Sarcoidosis", C: "Tuberculosis", D: "GERD" },
    reference: "B",
  },
  {
    caseText:
      "A 25-year-old returns from a safari with fever every 48 hours and ring forms on the blood smear. Which is the most likely cause?",
    options: { A: "Plasmodium vivax", B: "Dengue virus", C: "Salmonella typhi", D: "Leptospira" },
    reference: "A",
    medgpt: "<analysis>\nTertian malaria.\n</analysis>\n<answer>\nA: Plasmodium vivax\n</answer>",
    base: "<analysis>\nEnteric fever.\n</analysis>\n<answer>\nC: Salmonella typhi\n</answer>",
  },
  {
    caseText:
      "A 62-year-old woman has a resting tremor, rigidity and a shuffling gait. Which drug is most appropriate?",
    options: { A: "Haloperidol", B: "Propranolol", C: "Metoclopramide", D: "Levodopa-carbidopa" },
    reference: "D",
    medgpt: "<analysis>\nParkinsonism.\n</analysis>\n<answer>\nD: Levodopa-carbidopa\n</answer>",
    base: "This patient needs a neurologist; more information is required before choosing a treatment.",
  },
];

let server: RunServer;
let standin: OllamaStandin;
let datasetId = "";

beforeAll(async () => {
  const recordings = CASES.flatMap((c, index) =>
    c.medgpt && c.base ? [{ index, input: mrInput(c.caseText, c.options), medgpt: c.medgpt, base: c.base }] : [],
  );
  server = await startRunServer("medgpt-results-filters-", { recordings });
  standin = server.ollama;
  vi.spyOn(console, "info").mockImplementation(() => {});

  const text = CASES.map((c) => mrRow(c.caseText, c.options, c.reference, "Because.")).join("\n");
  datasetId = (await importDataset(text, "filters-test")).dataset.id;
});
afterAll(async () => {
  await server.stop();
  vi.restoreAllMocks();
});
beforeEach(() => standin.restore());

/** Queues a run of this file's dataset, unjudged unless `body` says otherwise. */
const start = (body: Record<string, unknown>) => startRun({ datasetId, judge: "none", ...body });
/** The item indexes of a results page that holds every matching row. */
async function idxs(id: string, query: string): Promise<number[]> {
  const p = await page(id, query);
  expect(p.totalRows).toBe(p.rows.length);
  return p.rows.map((r) => r.itemIdx);
}
const m = encodeURIComponent;

describe("a completed two-model run", () => {
  let run: RunView;
  beforeAll(async () => {
    run = await waitForRun((await start({ models: [MEDGPT, GEMMA] })).id);
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
      const error = await expectError(await results(run.id, query), 400, "invalid_request");
      expect(
        error.issues?.map((i) => i.path),
        query,
      ).toEqual([["model"]]);
    }
    const error = await expectError(await results(run.id, "model=llama3%3A8b"), 400, "invalid_request");
    expect(error.message).toMatch(/llama3:8b/);
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
      if (generating.some((r) => (r.body as { model?: unknown } | null)?.model === GEMMA))
        standin.setFault({ kind: "none" });
    }, 1);
    let run: RunView;
    try {
      run = await waitForRun((await start({ models: [MEDGPT, GEMMA], limit: 1, concurrency: 1 })).id);
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
    const queued = await start({ models: [MEDGPT, GEMMA], limit: 2, concurrency: 1 });
    standin.setModels(["mrizwank97/medgpt:latest"]); // gemma2:2b disappears: its results stay pending
    run = await waitForRun(queued.id);
    expect(run.status).toBe("failed");
    expect(run.summary!.map((s) => [s.model, s.completed])).toEqual([
      [MEDGPT, 2],
      [GEMMA, 0],
    ]);
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
