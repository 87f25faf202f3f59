import "server-only";
import { createHash } from "node:crypto";
import { runWarnings } from "./health";
import { runSummary } from "./run-summary";
import { parseAnswer } from "@/lib/answer";
import type { Db } from "@/eval/store/connection";
import { getDataset, getItem, getItems, getItemsAt, searchItems, type StoredItem } from "@/eval/store/datasets";
import { distributionPoints } from "@/eval/store/figures";
import {
  getResults,
  getResultsOf,
  getSamples,
  getVerdicts,
  getVerdictsOf,
  runProgress,
  type ResultRow,
  type VerdictRow,
} from "@/eval/store/results";
import { pageItemIdxs, type ResultsSort } from "@/eval/store/results-page";
import { getRun, isExecuting, listRuns, type RunRow } from "@/eval/store/runs";
import { AppError } from "@/lib/errors";
import type {
  CompareQuery,
  ComparisonView,
  Distributions,
  ItemDetail,
  ResultsPage,
  ResultsQuery,
  RunView,
} from "@/eval/api/schemas";
import type { Letter } from "@/lib/schemas/options";
import { compareSides } from "@/eval/runner/summary";

export type { ResultsSort } from "@/eval/store/results-page";

export function requireRun(db: Db, id: string): RunRow {
  const run = getRun(db, id);
  if (!run) throw new AppError("not_found", `Run ${id} does not exist.`);
  return run;
}

export function runView(db: Db, run: RunRow, withSummary: boolean): RunView {
  const p = runProgress(db, run.id);
  const view: RunView = {
    id: run.id,
    datasetId: run.datasetId,
    datasetName: getDataset(db, run.datasetId)?.name ?? null,
    // Marked running by a process that stopped sending heartbeats: nobody is executing it.
    status: run.status === "running" && !isExecuting(run) ? "interrupted" : run.status,
    models: run.config.models,
    items: run.itemIdxs.length,
    total: run.total,
    done: p.done,
    errors: p.errors,
    judged: p.judged,
    judge: run.config.judge ? `${run.config.judge.provider}:${run.config.judge.model}` : null,
    createdAt: run.createdAt,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    error: run.error,
    mirror: { status: run.mirrorStatus, error: run.mirrorError, url: run.weaveUrl },
    config: run.config as unknown as Record<string, unknown>,
    name: run.name,
    notes: run.notes,
    warnings: [],
    settings: settingsOf(run),
  };
  // The warnings need the summary; it comes from aggregate queries, not from every result row.
  const summary = runSummary(db, run);
  view.warnings = runWarnings(summary);
  if (withSummary) view.summary = summary;
  return view;
}

function settingsOf(run: RunRow): RunView["settings"] {
  const c = run.config;
  return {
    models: c.models,
    backend: c.backend ?? null,
    temperature: c.temperature,
    maxTokens: c.maxTokens,
    seed: c.seed,
    samples: c.samples ?? 1,
    promptFormats: c.promptFormats ?? null,
    judge: c.judge ? `${c.judge.provider}:${c.judge.model}` : null,
    judgePromptVersion: c.judge
      ? createHash("sha256")
          .update(`${c.judge.systemPrompt}\n\n${c.judge.userPromptTemplate}`)
          .digest("hex")
          .slice(0, 12)
      : null,
    createdBy: run.createdBy,
    createdAt: run.createdAt,
  };
}

/** The runs list, each with its per-model summary: the list compares runs at a glance. */
export const listRunViews = (db: Db) => listRuns(db).map((r) => runView(db, r, true));

type Joined = { item: StoredItem; results: Map<string, ResultRow>; verdicts: Map<string, VerdictRow> };

/** Items with their results and verdicts, from three queries however many items there are. */
function joinItems(db: Db, run: RunRow, idxs: number[]): Joined[] {
  const byItem = new Map<number, Joined>(
    getItemsAt(db, run.datasetId, idxs).map((item) => [item.idx, { item, results: new Map(), verdicts: new Map() }]),
  );
  for (const r of getResultsOf(db, run.id, idxs)) byItem.get(r.itemIdx)?.results.set(r.model, r);
  for (const v of getVerdictsOf(db, run.id, idxs)) byItem.get(v.itemIdx)?.verdicts.set(v.model, v);
  return idxs.flatMap((idx) => byItem.get(idx) ?? []);
}

function answerOf(model: string, j: Joined) {
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
}

/**
 * The per-question table, filtered, ordered and paged on the server (eval/store/results-page.ts says what each
 * filter keeps). Questions come in run order unless `sort` orders them by the confidence of the chosen model's answer
 * (the run's first model when none is chosen). A search (`q`) matches the case or an option text, ignoring case.
 */
export function resultsPage(db: Db, run: RunRow, q: ResultsQuery & { sort?: ResultsSort }): ResultsPage {
  const only = q.model || undefined; // `model=` (empty) is no filter, as in the page URL
  if (only !== undefined && !run.config.models.includes(only)) {
    const message = `Run ${run.id} has no model ${only}.`;
    throw new AppError("invalid_request", message, { issues: [{ path: ["model"], message }] });
  }
  const needle = q.q?.trim().toLowerCase();
  const { idxs, total } = pageItemIdxs(db, {
    runId: run.id,
    itemIdxs: run.itemIdxs,
    only: only ?? null,
    filter: q.filter,
    match: needle ? searchItems(db, run.datasetId, needle) : null,
    sort: q.sort ?? "number",
    sortModel: only ?? run.config.models[0]!,
    offset: (q.page - 1) * q.pageSize,
    limit: q.pageSize,
  });
  return {
    page: q.page,
    pageSize: q.pageSize,
    totalRows: total,
    rows: joinItems(db, run, idxs).map((j) => ({
      itemIdx: j.item.idx,
      number: j.item.idx + 1,
      caseExcerpt: excerpt(j.item.caseText),
      reference: j.item.referenceLetter,
      answers: run.config.models.map((m) => answerOf(m, j)),
    })),
  };
}

/** Latency and judge score of every result (the charts need all of them, not a page), from the covering indexes. */
export function distributions(db: Db, run: RunRow): Distributions {
  return { points: distributionPoints(db, run.id) };
}

export function itemDetail(db: Db, run: RunRow, idx: number): ItemDetail {
  const item = run.itemIdxs.includes(idx) ? getItem(db, run.datasetId, idx) : null;
  if (!item) throw new AppError("not_found", `Item ${idx} is not part of run ${run.id}.`);
  const j: Joined = {
    item,
    results: new Map(getResultsOf(db, run.id, [idx]).map((r) => [r.model, r])),
    verdicts: new Map(getVerdictsOf(db, run.id, [idx]).map((v) => [v.model, v])),
  };
  const order = [...run.itemIdxs].sort((x, y) => x - y);
  const at = order.indexOf(idx);
  return {
    itemIdx: idx,
    number: idx + 1,
    previous: at > 0 ? order[at - 1]! : null,
    next: at >= 0 && at < order.length - 1 ? order[at + 1]! : null,
    sourceLine: item.sourceLine,
    caseText: item.caseText,
    options: item.options as Record<string, string>,
    reference: {
      letter: item.referenceLetter,
      text: item.options[item.referenceLetter as Letter] ?? "",
      reasoning: item.referenceReasoning,
    },
    answers: run.config.models.map((m) => {
      const r = j.results.get(m);
      const v = j.verdicts.get(m);
      return {
        ...answerOf(m, j),
        raw: r?.raw ?? null,
        analysis: r?.raw ? parseAnswer(r.raw, item.options).analysis : null,
        judgeExplanation: v?.explanation ?? null,
        judgeRaw: v?.raw ?? null,
        judgeError: v?.error ?? null,
        attempts: r?.attempts ?? 0,
        probabilities: r?.probabilities ?? null,
        samples: r ? getSamples(db, run.id, idx, m).map((x) => ({ letter: x.letter, confidence: x.confidence })) : [],
      };
    }),
  };
}

export function comparison(
  db: Db,
  a: { runId: string; model: string },
  b: { runId: string; model: string },
  q: Pick<CompareQuery, "page" | "pageSize" | "filter" | "q"> = { page: 1, pageSize: 25, filter: "disagree" },
): ComparisonView {
  const runA = requireRun(db, a.runId);
  const runB = requireRun(db, b.runId);
  if (runA.datasetId !== runB.datasetId) {
    throw new AppError(
      "invalid_request",
      "The two runs use different datasets; a paired comparison needs the same items.",
    );
  }
  for (const [run, model] of [
    [runA, a.model],
    [runB, b.model],
  ] as const) {
    if (!run.config.models.includes(model))
      throw new AppError("invalid_request", `Run ${run.id} has no model ${model}.`);
  }
  const side = (run: RunRow, model: string) => ({
    results: getResults(db, run.id),
    verdicts: getVerdicts(db, run.id),
    model,
  });
  const sideA = side(runA, a.model);
  const sideB = side(runB, b.model);
  return { a, b, ...compareSides(sideA, sideB), ...comparedRows(db, runA.datasetId, sideA, sideB, q) };
}

type Side = { results: ResultRow[]; verdicts: VerdictRow[]; model: string };

/** The paired items, filtered like the results table and paged, each with its case excerpt and reference. */
function comparedRows(
  db: Db,
  datasetId: string,
  a: Side,
  b: Side,
  q: Pick<CompareQuery, "page" | "pageSize" | "filter" | "q">,
) {
  const ok = (s: Side) =>
    new Map(s.results.filter((r) => r.model === s.model && r.status === "ok").map((r) => [r.itemIdx, r]));
  const score = (s: Side) => new Map(s.verdicts.filter((v) => v.model === s.model).map((v) => [v.itemIdx, v]));
  const [okA, okB, vA, vB] = [ok(a), ok(b), score(a), score(b)];
  const items = new Map(getItems(db, datasetId).map((i) => [i.idx, i]));
  const needle = q.q?.trim().toLowerCase();
  const rows = [...okA.keys()]
    .filter((i) => okB.has(i))
    .sort((x, y) => x - y)
    .filter((i) => {
      const [ra, rb, item] = [okA.get(i)!, okB.get(i)!, items.get(i)];
      if (needle && !item?.caseText.toLowerCase().includes(needle)) return false;
      switch (q.filter) {
        case "wrong":
          return !ra.exact || !rb.exact;
        case "errors":
          return false; // paired items are the ones both sides completed
        case "disagree":
          return ra.letter !== rb.letter;
        case "unparseable":
          return vA.get(i)?.status === "unparseable" || vB.get(i)?.status === "unparseable";
        default:
          return true;
      }
    });
  return {
    ...pageOf(rows, q),
    filter: q.filter,
    rows: pageOf(rows, q).rows.map((i) => {
      const item = items.get(i)!;
      const pick = (r: ResultRow, v: VerdictRow | undefined) => ({
        letter: r.letter,
        exact: !!r.exact,
        judgeScore: v?.score ?? null,
      });
      return {
        itemIdx: i,
        caseExcerpt: excerpt(item.caseText),
        reference: item.referenceLetter,
        a: pick(okA.get(i)!, vA.get(i)),
        b: pick(okB.get(i)!, vB.get(i)),
      };
    }),
  };
}

/** One page of `rows` (1-based page number), with the counts the API reports beside it. */
function pageOf<T>(rows: T[], q: { page: number; pageSize: number }) {
  const start = (q.page - 1) * q.pageSize;
  return { page: q.page, pageSize: q.pageSize, totalRows: rows.length, rows: rows.slice(start, start + q.pageSize) };
}

const excerpt = (text: string) => (text.length > 160 ? `${text.slice(0, 157)}…` : text);
