import { afterEach, describe, expect, it } from "vitest";
import type { ResultsFilter } from "@/eval/domain";
import type { ResultsPage, ResultsQuery } from "@/eval/api/schemas";
import { openDb, type Db } from "@/eval/store/connection";
import { getItems, type StoredItem } from "@/eval/store/datasets";
import { getResults, getVerdicts, type ResultRow, type VerdictRow } from "@/eval/store/results";
import type { RunRow } from "@/eval/store/runs";
import { distributions, itemDetail, resultsPage, type ResultsSort } from "./views";
import { seedMixedRun } from "./run-fixture";

/**
 * The results table, its distributions and the question view are computed in SQL over a page of items; here they are
 * held equal to the plain definition over every row (what the views computed before), on seeded runs with every kind
 * of answer, for every filter, model, search, order and page.
 */

let db: Db;
afterEach(() => db?.close());

const FILTERS: ResultsFilter[] = ["all", "wrong", "errors", "disagree", "unparseable"];
const MODELS = ["medgpt", "gemma2:2b", "base"];

describe("resultsPage", () => {
  it("pages, filters and searches as the plain definition does", () => {
    db = openDb(":memory:");
    const run = seedMixedRun(db, { items: 60, models: MODELS, seed: 1 });
    let compared = 0;
    for (const filter of FILTERS)
      for (const model of [undefined, "", ...MODELS])
        for (const q of [undefined, "  ", "fever", "MÉNIÈRE", "sarcoid", "case 1", "no such words"])
          for (const [page, pageSize] of [
            [1, 25],
            [2, 7],
            [3, 25],
            [40, 25],
          ] as const) {
            const query: ResultsQuery = { page, pageSize, filter, model, q };
            expect(resultsPage(db, run, query), JSON.stringify(query)).toEqual(plainPage(db, run, query));
            compared++;
          }
    expect(compared).toBe(5 * 5 * 7 * 4);
  });

  it("keeps the run's own order of items and leaves out dataset items the run does not have", () => {
    db = openDb(":memory:");
    const run = seedMixedRun(db, {
      items: 30,
      models: MODELS.slice(0, 2),
      seed: 2,
      itemIdxs: [17, 3, 25, 4, 9, 0, 28],
    });
    for (const filter of FILTERS) {
      const query: ResultsQuery = { page: 1, pageSize: 25, filter };
      const page = resultsPage(db, run, query);
      expect(page).toEqual(plainPage(db, run, query));
      const order = run.itemIdxs.filter((i) => page.rows.some((r) => r.itemIdx === i));
      expect(page.rows.map((r) => r.itemIdx)).toEqual(order);
    }
    expect(resultsPage(db, run, { page: 1, pageSize: 25, filter: "all" }).rows.length).toBeGreaterThan(3);
  });

  it("sorts by the confidence of the chosen model's answer, least or most confident first, without one last", () => {
    db = openDb(":memory:");
    const run = seedMixedRun(db, { items: 80, models: MODELS, seed: 3 });
    for (const sort of ["confidence", "-confidence"] as ResultsSort[])
      for (const model of [undefined, ...MODELS])
        for (const filter of ["all", "wrong"] as ResultsFilter[]) {
          const query: ResultsQuery & { sort: ResultsSort } = { page: 1, pageSize: 200, filter, model, sort };
          const page = resultsPage(db, run, query);
          const plain = plainPage(db, run, query);
          expect(page.totalRows).toBe(plain.totalRows);
          expect(page.rows.map((r) => r.itemIdx)).toEqual(
            sortedByConfidence(plain.rows, model ?? MODELS[0]!, sort).map((r) => r.itemIdx),
          );
          // A page of the sorted list is the same slice of it.
          const second = resultsPage(db, run, { ...query, page: 2, pageSize: 9 });
          expect(second.rows.map((r) => r.itemIdx)).toEqual(page.rows.slice(9, 18).map((r) => r.itemIdx));
        }
    const least = resultsPage(db, run, { page: 1, pageSize: 3, filter: "all", sort: "confidence" });
    expect(least.rows[0]!.answers[0]!.confidence).toBe(0);
  });

  it("refuses a model the run does not have", () => {
    db = openDb(":memory:");
    const run = seedMixedRun(db, { items: 5, models: MODELS.slice(0, 1), seed: 4 });
    expect(() => resultsPage(db, run, { page: 1, pageSize: 25, filter: "all", model: "other" })).toThrow(
      /has no model other/,
    );
  });
});

describe("distributions and itemDetail", () => {
  it("give every result's latency and verdict, and one question's answers, as the plain definition does", () => {
    db = openDb(":memory:");
    const run = seedMixedRun(db, { items: 40, models: MODELS, seed: 5 });
    const results = getResults(db, run.id);
    const verdicts = new Map(getVerdicts(db, run.id).map((v) => [`${v.itemIdx}|${v.model}`, v]));
    expect(distributions(db, run)).toEqual({
      points: results.map((r) => {
        const v = verdicts.get(`${r.itemIdx}|${r.model}`);
        return {
          model: r.model,
          status: r.status,
          latencyMs: r.latencyMs,
          judgeScore: v?.score ?? null,
          judgeStatus: v?.status ?? null,
        };
      }),
    });
    for (const idx of [0, 13, 39]) {
      const detail = itemDetail(db, run, idx);
      expect(detail.answers.map((a) => a.model)).toEqual(MODELS);
      for (const a of detail.answers) {
        const r = results.find((x) => x.itemIdx === idx && x.model === a.model);
        const v = verdicts.get(`${idx}|${a.model}`);
        expect([a.status, a.letter, a.raw, a.judgeScore, a.judgeStatus, a.judgeExplanation]).toEqual([
          r?.status ?? "pending",
          r?.letter ?? null,
          r?.raw ?? null,
          v?.score ?? null,
          v?.status ?? null,
          v?.explanation ?? null,
        ]);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The plain definitions: every item, result and verdict of the run in memory, filtered and paged in JavaScript.

type Joined = { item: StoredItem; results: Map<string, ResultRow>; verdicts: Map<string, VerdictRow> };

function plainPage(db: Db, run: RunRow, q: ResultsQuery): ResultsPage {
  const only = q.model || undefined;
  const models = only !== undefined ? [only] : run.config.models;
  const items = new Map(getItems(db, run.datasetId).map((i) => [i.idx, i]));
  const byItem = new Map<number, Joined>();
  for (const idx of run.itemIdxs) byItem.set(idx, { item: items.get(idx)!, results: new Map(), verdicts: new Map() });
  for (const r of getResults(db, run.id)) byItem.get(r.itemIdx)?.results.set(r.model, r);
  for (const v of getVerdicts(db, run.id)) byItem.get(v.itemIdx)?.verdicts.set(v.model, v);
  const needle = q.q?.trim().toLowerCase();
  const rows = [...byItem.values()].filter((j) => {
    if (j.results.size === 0) return false;
    if (only !== undefined && !j.results.has(only)) return false;
    if (
      needle &&
      !j.item.caseText.toLowerCase().includes(needle) &&
      !Object.values(j.item.options).some((o) => o?.toLowerCase().includes(needle))
    )
      return false;
    const mine = models.map((m) => j.results.get(m)).filter((r): r is ResultRow => !!r);
    switch (q.filter) {
      case "wrong":
        return mine.some((r) => r.status === "ok" && !r.exact);
      case "errors":
        return mine.some((r) => r.status === "error");
      case "disagree": {
        const answered = mine.filter((r) => r.status === "ok");
        return answered.length >= 2 && new Set(answered.map((r) => r.letter ?? "∅")).size > 1;
      }
      case "unparseable":
        return models.some((m) => j.verdicts.get(m)?.status === "unparseable");
      default:
        return true;
    }
  });
  const start = (q.page - 1) * q.pageSize;
  return {
    page: q.page,
    pageSize: q.pageSize,
    totalRows: rows.length,
    rows: rows.slice(start, start + q.pageSize).map((j) => ({
      itemIdx: j.item.idx,
      number: j.item.idx + 1,
      caseExcerpt: j.item.caseText.length > 160 ? `${j.item.caseText.slice(0, 157)}…` : j.item.caseText,
      reference: j.item.referenceLetter,
      answers: run.config.models.map((model) => {
        const r = j.results.get(model);
        const v = j.verdicts.get(model);
        return {
          model,
          status: r?.status ?? ("pending" as const),
          letter: r?.letter ?? null,
          exact: r?.exact ?? null,
          formatOk: r?.formatOk ?? null,
          latencyMs: r?.latencyMs ?? null,
          error: r?.error ?? null,
          judgeScore: v?.score ?? null,
          judgeStatus: v?.status ?? null,
          confidence: r?.confidence ?? null,
          voteLetter: r?.voteLetter ?? null,
          agreement: r?.agreement ?? null,
        };
      }),
    })),
  };
}

/** Stable: equal confidences keep run order; answers without a confidence (or no answer) go last. */
function sortedByConfidence(rows: ResultsPage["rows"], model: string, sort: ResultsSort) {
  const key = (r: ResultsPage["rows"][number]) => r.answers.find((a) => a.model === model)?.confidence ?? null;
  return [...rows].sort((x, y) => {
    const [a, b] = [key(x), key(y)];
    if (a === null || b === null) return (a === null ? 1 : 0) - (b === null ? 1 : 0);
    return sort === "confidence" ? a - b : b - a;
  });
}
