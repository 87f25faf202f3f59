import "server-only";
import type { ResultsFilter } from "@/eval/domain";
import { prepared, type Db } from "./connection";

/**
 * Orders of the results table: by question number (run order), or by the confidence of one model's answer, least
 * confident first ("confidence") or most confident first ("-confidence"); answers without a confidence come last,
 * and ties keep run order.
 */
export const RESULTS_SORTS = ["number", "confidence", "-confidence"] as const;
export type ResultsSort = (typeof RESULTS_SORTS)[number];

export type ResultsPageQuery = {
  runId: string;
  /** The run's items, in run order. */
  itemIdxs: number[];
  /** The one model the filter looks at (and whose result an item must have); null: all of the run's. */
  only: string | null;
  filter: ResultsFilter;
  /** A text search's matches: only these items; null: no search. */
  match: number[] | null;
  sort: ResultsSort;
  /** Whose confidence a confidence sort uses. */
  sortModel: string;
  offset: number;
  limit: number;
};

/**
 * Which items the results table shows, one page of them, and how many match in all: filtered, ordered and cut in
 * SQL, one group per item over the covering index results_by_item, so no result row (which holds the model's reply)
 * is read, and each filter computes only what it tests. A run's results and verdicts are for its own items and
 * models (the runner writes no others), so only the chosen model needs naming. The filters:
 * - every item with a result (of the chosen model, when one is chosen);
 * - wrong: a chosen model answered and did not match the reference;
 * - errors: a chosen model's generation failed;
 * - disagree: at least two chosen models answered, with different letters (no letter counts as one answer);
 * - unparseable: the judge's verdict on a chosen model's answer had no readable score.
 * Run order is item order for the runner's runs (their items ascend): the index gives it, and a first page is read
 * without visiting the rest. Other runs are ordered by their list.
 */
export function pageItemIdxs(db: Db, q: ResultsPageQuery): { idxs: number[]; total: number } {
  const chosen = q.only !== null ? `model = @only` : `1`;
  const where = [`run_id = @run`];
  const having: string[] = [];
  if (q.only !== null) having.push(`MAX(model = @only)`);
  if (q.match !== null) where.push(`item_idx IN (SELECT value FROM json_each(@match))`);
  switch (q.filter) {
    case "wrong":
      having.push(`MAX(${chosen} AND status = 'ok' AND COALESCE(exact, 0) = 0)`);
      break;
    case "errors":
      having.push(`MAX(${chosen} AND status = 'error')`);
      break;
    case "disagree": {
      // Two answers differ when the smallest and largest letter differ ('' stands for no letter).
      const letter = `CASE WHEN ${chosen} AND status = 'ok' THEN COALESCE(letter, '') END`;
      having.push(`SUM(${chosen} AND status = 'ok') >= 2 AND MIN(${letter}) != MAX(${letter})`);
      break;
    }
    case "unparseable":
      where.push(
        `item_idx IN (SELECT item_idx FROM verdicts WHERE run_id = @run AND status = 'unparseable' AND ${chosen})`,
      );
      break;
    case "all":
      break;
  }
  const ascending = q.itemIdxs.every((idx, i) => i === 0 || idx > q.itemIdxs[i - 1]!);
  const sortConfidence = `MAX(CASE WHEN model = @sortModel THEN confidence END) AS sort_confidence`;
  // One row per matching item, its index first; straight from the index, in item order, when that is run order.
  const matching = (sorted: boolean) => {
    const perItem = `SELECT item_idx AS idx${sorted ? `, ${sortConfidence}` : ""} FROM results
      WHERE ${where.join(" AND ")} GROUP BY item_idx ${having.length ? `HAVING ${having.join(" AND ")}` : ""}`;
    return ascending
      ? perItem
      : `SELECT p.*, pos FROM (${perItem}) p
         JOIN (SELECT value AS idx, MIN(key) AS pos FROM json_each(@itemIdxs) GROUP BY value) USING (idx)`;
  };
  const position = ascending ? "idx" : "pos";
  const order = {
    number: position,
    confidence: `sort_confidence IS NULL, sort_confidence, ${position}`,
    "-confidence": `sort_confidence IS NULL, sort_confidence DESC, ${position}`,
  }[q.sort];
  const params: Record<string, unknown> = { run: q.runId };
  if (!ascending) params.itemIdxs = JSON.stringify(q.itemIdxs);
  if (q.only !== null) params.only = q.only;
  if (q.match !== null) params.match = JSON.stringify(q.match);
  const sorted = q.sort !== "number";
  const idxs = prepared(db, `${matching(sorted)} ORDER BY ${order} LIMIT @limit OFFSET @offset`)
    .pluck()
    .all({ ...params, ...(sorted ? { sortModel: q.sortModel } : {}), limit: q.limit, offset: q.offset }) as number[];
  // The count reads every matching item; a page that is not full has it already.
  const total =
    idxs.length > 0 && idxs.length < q.limit
      ? q.offset + idxs.length
      : (prepared(db, `SELECT COUNT(*) FROM (${matching(false)})`)
          .pluck()
          .get(params) as number);
  return { idxs, total };
}
