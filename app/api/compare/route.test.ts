import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ComparisonSchema, type RunView } from "@/eval/api/schemas";
import { expectError } from "@/test-support/api";
import { compare, importDataset, runToEnd, startRunServer, type RunServer } from "@/test-support/api-client";
import { mrAnswer, mrInput, mrRow, type Options } from "@/test-support/mr-dataset";
import { GEMMA, MEDGPT } from "@/test-support/ollama-models";

/**
 * GET /api/compare: paired comparison of two models (same run or two runs) over the items both completed, on runs
 * made through the API against the Ollama stand-in. The stand-in replays a recordings file written here for some
 * cases and answers B (its made-up reply) for the others.
 */

type Case = { caseText: string; options: Options; reference: string; medgpt?: string; base?: string };
const OPTS: Options = { A: "Option alpha", B: "Option beta", C: "Option gamma", D: "Option delta" };
/** medgpt/base: the recorded reply's letter ("-" = a reply naming no option); absent = the made-up reply (B). */
const CASES: Case[] = [
  { caseText: "Case zero: both models right. Which?", options: OPTS, reference: "B" },
  { caseText: "Case one: both models wrong, same letter. Which?", options: OPTS, reference: "C" },
  { caseText: "Case two: only the fine-tune right. Which?", options: OPTS, reference: "A", medgpt: "A", base: "C" },
  {
    caseText: "Case three: only the fine-tune right, base unparseable. Which?",
    options: OPTS,
    reference: "D",
    medgpt: "D",
    base: "-",
  },
  { caseText: "Case four: only the fine-tune right. Which?", options: OPTS, reference: "C", medgpt: "C", base: "A" },
  {
    caseText: "Case five: both wrong, different letters. Which?",
    options: OPTS,
    reference: "A",
    medgpt: "C",
    base: "D",
  },
];
const reply = (letter: string, options: Options) =>
  letter === "-" ? "I would need more information to decide." : mrAnswer(letter, options, "Reasoning.");

const datasetText = (cases: Case[]) =>
  cases.map((c) => mrRow(c.caseText, c.options, c.reference, "Reasoning.", "Answer.")).join("\n");

let server: RunServer;
let both: RunView; // MEDGPT and GEMMA over all six cases
let firstThree: RunView; // MEDGPT over the first three cases
let other: RunView; // MEDGPT over another dataset

beforeAll(async () => {
  const recordings = CASES.flatMap((c, index) =>
    c.medgpt && c.base
      ? [
          {
            index,
            input: mrInput(c.caseText, c.options),
            medgpt: reply(c.medgpt, c.options),
            base: reply(c.base, c.options),
          },
        ]
      : [],
  );
  server = await startRunServer("medgpt-compare-", { recordings });

  const main = (await importDataset(datasetText(CASES), "six cases")).dataset.id;
  const second = (
    await importDataset(
      datasetText([{ caseText: "Another dataset's only case. Which?", options: OPTS, reference: "B" }]),
      "other",
    )
  ).dataset.id;
  both = await runToEnd({ datasetId: main, models: [MEDGPT, GEMMA] });
  firstThree = await runToEnd({ datasetId: main, models: [MEDGPT], limit: 3 });
  other = await runToEnd({ datasetId: second, models: [MEDGPT] });
  expect([both.status, firstThree.status, other.status]).toEqual(["completed", "completed", "completed"]);
});
afterAll(() => server.stop());

async function comparison(q: Record<string, string>) {
  const res = await compare(q);
  expect(res.status).toBe(200);
  return ComparisonSchema.parse(await res.json());
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

  it("a 95 % CI on the paired accuracy difference (Wald for matched proportions, computed by hand)", async () => {
    const c = await comparison({ runA: both.id, modelA: MEDGPT, runB: both.id, modelB: GEMMA });
    // b = 3, c = 0, n = 6: d = 0.5, SE = √(3 − 9/6)/6 = √1.5/6 = 0.204124 → 0.5 ± 0.400083
    expect(c.accuracyDiffCi![0]).toBeCloseTo(0.0999, 3);
    expect(c.accuracyDiffCi![1]).toBeCloseTo(0.9001, 3);
  });

  it("rows are paged and filtered like the results table, each with its case excerpt and reference", async () => {
    const base = { runA: both.id, modelA: MEDGPT, runB: both.id, modelB: GEMMA };
    const first = await comparison({ ...base, pageSize: "3" });
    expect(first).toMatchObject({ filter: "disagree", totalRows: 4, page: 1, pageSize: 3 });
    expect(first.rows.map((r) => r.itemIdx)).toEqual([2, 3, 4]);
    expect(first.rows[0]).toEqual({
      itemIdx: 2,
      caseExcerpt: "Case two: only the fine-tune right. Which?",
      reference: "A",
      a: { letter: "A", exact: true, judgeScore: null },
      b: { letter: "C", exact: false, judgeScore: null },
    });
    expect((await comparison({ ...base, pageSize: "3", page: "2" })).rows.map((r) => r.itemIdx)).toEqual([5]);
    expect((await comparison({ ...base, filter: "all" })).totalRows).toBe(6);
    expect((await comparison({ ...base, filter: "wrong" })).rows.map((r) => r.itemIdx)).toEqual([1, 2, 3, 4, 5]);
    expect((await comparison({ ...base, filter: "all", q: "case four" })).rows.map((r) => r.itemIdx)).toEqual([4]);
    await expectError(await compare({ ...base, filter: "everything" }), 400, "invalid_request");
  });

  it("swapping the sides mirrors the result", async () => {
    const c = await comparison({ runA: both.id, modelA: GEMMA, runB: both.id, modelB: MEDGPT });
    expect(c.discordant).toEqual({ aOnly: 0, bOnly: 3 });
    expect(c.accuracyDiff).toBeCloseTo(-0.5, 4);
    expect(c.mcnemarP).toBeCloseTo(0.25, 6);
    expect(c.differing.map((d) => [d.itemIdx, d.letterA, d.letterB])).toEqual([
      [2, "C", "A"],
      [3, null, "D"],
      [4, "A", "C"],
      [5, "D", "C"],
    ]);
  });

  it("a model against itself: no differences, p = 1", async () => {
    const c = await comparison({ runA: both.id, modelA: MEDGPT, runB: both.id, modelB: MEDGPT });
    expect(c).toMatchObject({
      paired: 6,
      accuracyDiff: 0,
      discordant: { aOnly: 0, bOnly: 0 },
      mcnemarP: 1,
      differing: [],
    });
  });

  it("two runs on the same dataset are paired on the items both completed", async () => {
    const c = await comparison({ runA: firstThree.id, modelA: MEDGPT, runB: both.id, modelB: GEMMA });
    expect(c.paired).toBe(3);
    expect(c.differing.map((d) => d.itemIdx)).toEqual([2]);
    expect(c.discordant).toEqual({ aOnly: 1, bOnly: 0 });
    expect(c.mcnemarP).toBeCloseTo(1, 6);
  });

  it("runs on different datasets → 400", async () => {
    const error = await expectError(
      await compare({ runA: both.id, modelA: MEDGPT, runB: other.id, modelB: MEDGPT }),
      400,
      "invalid_request",
    );
    expect(error.message).toMatch(/different datasets/);
  });

  it("a model the run does not have → 400 naming it; an unknown run → 404", async () => {
    const error = await expectError(
      await compare({ runA: firstThree.id, modelA: GEMMA, runB: both.id, modelB: MEDGPT }),
      400,
      "invalid_request",
    );
    expect(error.message).toMatch(/gemma2:2b/);
    await expectError(
      await compare({ runA: "run_nope", modelA: MEDGPT, runB: both.id, modelB: MEDGPT }),
      404,
      "not_found",
    );
  });

  it("missing parameters → 400 with issues", async () => {
    const error = await expectError(
      await compare({ runA: both.id, modelA: MEDGPT, runB: both.id }),
      400,
      "invalid_request",
    );
    expect(error.issues?.map((i) => i.path)).toEqual([["modelB"]]);
    const none = await expectError(await compare({}), 400, "invalid_request");
    expect(none.issues?.length).toBe(4);
  });
});
