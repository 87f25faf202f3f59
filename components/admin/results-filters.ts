/** The results table's filters; shared by the run page (a server component) and the table (a client component). */
export const FILTERS = [
  ["all", "All questions"],
  ["wrong", "Wrong only"],
  ["errors", "Errors"],
  ["disagree", "Models disagree"],
  ["unparseable", "Unparseable verdicts"],
] as const;
export type ResultsFilter = (typeof FILTERS)[number][0];
export const isResultsFilter = (v: string | undefined): v is ResultsFilter => FILTERS.some(([f]) => f === v);

export type ResultsState = { filter: ResultsFilter; model: string; q: string; page: number; pageSize: number };

function intIn(v: string | null, min: number, max: number, fallback: number): number {
  const n = Number(v);
  return v !== null && Number.isInteger(n) && n >= min && n <= max ? n : fallback;
}

/** The table's state from the page URL, so that a link (or Back from a drill-down) restores filters and page. */
export function resultsStateFrom(sp: { get(name: string): string | null }): ResultsState {
  const filter = sp.get("filter") ?? undefined;
  return {
    filter: isResultsFilter(filter) ? filter : "all",
    model: sp.get("model") ?? "",
    q: (sp.get("q") ?? "").slice(0, 200),
    page: intIn(sp.get("page"), 1, 1_000_000, 1),
    pageSize: intIn(sp.get("pageSize"), 1, 200, 25),
  };
}
