import { isResultsFilter, type ResultsFilter } from "./results-filters";

// The compare page's state, read from its URL on the server (app/admin/compare/page.tsx) and used by the client view:
// no "use client" here, so the page can call these.

export type Sides = { runA: string; modelA: string; runB: string; modelB: string };

/** The table's state besides the sides; kept in the URL with them so a comparison can be linked. */
export type CompareTableState = { filter: ResultsFilter; q: string; page: number; pageSize: number };

export const DEFAULT_TABLE: CompareTableState = { filter: "disagree", q: "", page: 1, pageSize: 25 };

/** The table's state from the page's query parameters (anything invalid falls back to the default). */
export function compareTableFrom(sp: Record<string, string | undefined>): CompareTableState {
  const int = (v: string | undefined, max: number, fallback: number) => {
    const n = Number(v);
    return v !== undefined && Number.isInteger(n) && n >= 1 && n <= max ? n : fallback;
  };
  return {
    filter: isResultsFilter(sp.filter) ? sp.filter : DEFAULT_TABLE.filter,
    q: (sp.q ?? "").slice(0, 200),
    page: int(sp.page, 1_000_000, 1),
    pageSize: int(sp.pageSize, 200, DEFAULT_TABLE.pageSize),
  };
}
