import type { ResultsFilter } from "@/eval/domain";
import { RESULTS_FILTERS } from "./read-eval";

export type { ResultsFilter };

/** The results table's filters, labelled; the list itself is the API's (eval/domain.ts, mirrored in read-eval.ts). */
const FILTER_LABELS: Record<ResultsFilter, string> = {
  all: "All questions",
  wrong: "Wrong only",
  errors: "Errors",
  disagree: "Models disagree",
  unparseable: "Unparseable verdicts",
};
export const FILTERS = RESULTS_FILTERS.map((f) => [f, FILTER_LABELS[f]] as const);
export const isResultsFilter = (v: string | undefined): v is ResultsFilter =>
  (RESULTS_FILTERS as readonly (string | undefined)[]).includes(v);

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
