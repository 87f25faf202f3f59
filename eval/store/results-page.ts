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
  /** The models the filter looks at (all of the run's, or the one chosen). */
  models: string[];
  /** Keep only the items this model has a result for (answered or failed); null: items with any result. */
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

const ORDER: Record<ResultsSort, string> = {
  number: "pos",
  confidence: "confidence IS NULL, confidence, pos",
  "-confidence": "confidence IS NULL, confidence DESC, pos",
};

/**
 * Which items the results table shows, one page of them, and how many match in all: filtered, ordered and cut in
 * SQL, one group per item over the covering index results_by_item, so no result row (which holds the model's reply)
 * is read, and each filter computes only what it tests. The filters:
 * - every item with a result (of the chosen model, when one is chosen);
 * - wrong: a chosen model answered and did not match the reference;
 * - errors: a chosen model's generation failed;
 * - disagree: at least two chosen models answered, with different letters (no letter counts as one answer);
 * - unparseable: the judge's verdict on a chosen model's answer had no readable score.
 */
export function pageItemIdxs(db: Db, q: ResultsPageQuery): { idxs: number[]; total: number } {
  const chosen = `model IN (SELECT value FROM json_each(@models))`;
  const having: string[] = [];
  const where: string[] = [];
  if (q.only !== null) having.push(`MAX(model = @only)`);
  if (q.match !== null) where.push(`idx IN (SELECT value FROM json_each(@match))`);
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
      where.push(`idx IN (SELECT item_idx FROM verdicts WHERE run_id = @run AND status = 'unparseable' AND ${chosen})`);
      break;
    case "all":
      break;
  }
  const confidence = q.sort === "number" ? "" : `, MAX(CASE WHEN model = @sortModel THEN confidence END) AS confidence`;
  const sql = `
    WITH run_items AS (SELECT value AS idx, MIN(key) AS pos FROM json_each(@itemIdxs) GROUP BY value),
    per_item AS (
      SELECT item_idx AS idx${confidence} FROM results WHERE run_id = @run GROUP BY item_idx
      ${having.length ? `HAVING ${having.join(" AND ")}` : ""}
    )
    SELECT idx, COUNT(*) OVER () AS total
    FROM per_item JOIN run_items USING (idx)
    ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
    ORDER BY ${ORDER[q.sort]}
    LIMIT @limit OFFSET @offset`;
  const params: Record<string, unknown> = {
    run: q.runId,
    itemIdxs: JSON.stringify(q.itemIdxs),
    limit: q.limit,
    offset: q.offset,
  };
  if (sql.includes("@models")) params.models = JSON.stringify(q.models);
  if (q.only !== null) params.only = q.only;
  if (q.match !== null) params.match = JSON.stringify(q.match);
  if (q.sort !== "number") params.sortModel = q.sortModel;
  const rows = prepared(db, sql).all(params) as { idx: number; total: number }[];
  if (rows.length > 0) return { idxs: rows.map((r) => r.idx), total: rows[0]!.total };
  // A page past the end has no rows to carry the count.
  const total = q.offset === 0 ? 0 : pageItemIdxs(db, { ...q, offset: 0, limit: 1 }).total;
  return { idxs: [], total };
}
