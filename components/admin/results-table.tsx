"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { DataTable } from "@/components/ui/data-table";
import { Field } from "@/components/ui/field";
import { Select } from "@/components/ui/inputs";
import { ResultsPageReader } from "./read-eval";
import { apiJson, errorBodyOf } from "./api";
import { itemHref, pct } from "./format";
import { LetterBadge } from "./letter-badge";
import { CaseExcerptCell, PageSizeField, Pager, TableSearchField } from "./pager";
import { ProblemPanel } from "./problem";
import { FILTERS, resultsStateFrom, type ResultsFilter, type ResultsState } from "./results-filters";
import { useRun } from "./use-run";

function queryString(s: ResultsState): string {
  const p = new URLSearchParams();
  if (s.page !== 1) p.set("page", String(s.page));
  if (s.pageSize !== 25) p.set("pageSize", String(s.pageSize));
  if (s.filter !== "all") p.set("filter", s.filter);
  if (s.model) p.set("model", s.model);
  if (s.q) p.set("q", s.q);
  return p.toString();
}

/** The per-question table, filtered and paged by the results API; its state lives in the URL so Back restores it. */
export function ResultsTable({ runId }: { runId: string }) {
  const router = useRouter();
  const searchParams = useSearchParams();
  const { data: run } = useRun(runId);
  const [state, setState] = useState<ResultsState>(() => resultsStateFrom(searchParams));
  const [search, setSearch] = useState(state.q);

  // Debounce the search box: the query follows 300 ms after the last keystroke.
  useEffect(() => {
    if (search.trim() === state.q) return;
    const t = setTimeout(() => setState((s) => ({ ...s, q: search.trim(), page: 1 })), 300);
    return () => clearTimeout(t);
  }, [search, state.q]);

  useEffect(() => {
    const qs = queryString(state);
    const url = `${window.location.pathname}${qs ? `?${qs}` : ""}`;
    if (url !== `${window.location.pathname}${window.location.search}`) window.history.replaceState(null, "", url);
  }, [state]);

  const params = new URLSearchParams({
    page: String(state.page),
    pageSize: String(state.pageSize),
    filter: state.filter,
  });
  if (state.model) params.set("model", state.model);
  if (state.q) params.set("q", state.q);
  const results = useQuery({
    // done/status in the key: the table follows the run while it is going.
    queryKey: ["results", runId, params.toString(), run?.done, run?.status, run?.judged],
    queryFn: () => apiJson(`/api/runs/${encodeURIComponent(runId)}/results?${params}`, ResultsPageReader),
    enabled: run !== undefined,
    placeholderData: keepPreviousData,
  });

  const models = run?.models ?? [];
  const data = results.data;
  const set = (patch: Partial<ResultsState>) => setState((s) => ({ ...s, page: 1, ...patch }));

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end gap-3" role="search" aria-label="Filter the questions">
        <Field id="results-filter" label="Show">
          {(control) => (
            <Select
              {...control}
              value={state.filter}
              onChange={(e) => set({ filter: e.target.value as ResultsFilter })}
            >
              {FILTERS.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field id="results-model" label="Model">
          {(control) => (
            <Select {...control} value={state.model} onChange={(e) => set({ model: e.target.value })}>
              <option value="">All models</option>
              {models.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <TableSearchField
          id="results-search"
          label="Search cases and options"
          className="min-w-56 flex-1"
          value={search}
          onChange={setSearch}
        />
        <PageSizeField id="results-page-size" value={state.pageSize} onChange={(pageSize) => set({ pageSize })} />
      </div>

      {results.error ? <ProblemPanel error={errorBodyOf(results.error)} /> : null}

      <DataTable
        testId="results-table"
        caption="Questions of the run, numbered from 1, with each model's answer; select a question number to open its details."
        columns={[
          // The letters first, the case last: on a narrow screen the answers show without scrolling sideways.
          { label: "#" },
          { label: "Ref", className: "text-center" },
          ...models.map((m) => ({ label: m, className: "text-center font-mono normal-case whitespace-nowrap" })),
          { label: "Case" },
        ]}
        minWidth="min-w-[720px]"
        busy={results.isFetching}
        after={
          data && data.rows.length === 0 ? (
            <p className="p-4 text-sm text-slate-600" data-testid="results-empty">
              {run && run.done === 0 ? "No results yet." : "No questions match these filters."}
            </p>
          ) : !data && results.isPending ? (
            <p className="p-4 text-sm text-slate-500">Loading questions…</p>
          ) : null
        }
      >
        {data?.rows.map((row) => {
          const href = itemHref(runId, row.itemIdx);
          return (
            <tr
              key={row.itemIdx}
              data-testid="result-row"
              data-item={row.itemIdx}
              data-number={row.number}
              onClick={(e) => {
                if ((e.target as HTMLElement).closest("a")) return;
                router.push(href);
              }}
              className="cursor-pointer align-top hover:bg-brand-50"
            >
              <td className="px-3 py-2 font-mono text-xs">
                <Link href={href} className="text-brand-700 underline" aria-label={`Question ${row.number}: details`}>
                  {row.number}
                </Link>
              </td>
              <td className="px-3 py-2 text-center font-semibold" data-testid="reference">
                {row.reference}
              </td>
              {row.answers.map((a) => (
                <td key={a.model} className="px-3 py-2 text-center whitespace-nowrap" data-model={a.model}>
                  <LetterBadge answer={a} />
                  {a.status === "ok" && a.confidence !== null ? (
                    <span className="ml-1.5 text-xs text-slate-600 tabular-nums" title="Confidence in this answer">
                      {pct(a.confidence, 0)}
                    </span>
                  ) : null}
                  {a.voteLetter !== null ? (
                    <span
                      className="ml-1.5 text-xs text-slate-600"
                      title="Self-consistency: the letter most samples chose, and the share that chose it"
                    >
                      vote {a.voteLetter}
                      {a.agreement !== null ? ` (${pct(a.agreement, 0)})` : ""}
                    </span>
                  ) : null}
                  {a.judgeStatus === "scored" && a.judgeScore !== null ? (
                    <span className="ml-1.5 text-xs text-slate-600" title="Judge score (0–5)">
                      {a.judgeScore}/5
                    </span>
                  ) : a.judgeStatus === "unparseable" ? (
                    <span className="ml-1.5 text-xs text-amber-700" title="The judge's verdict could not be read">
                      ?/5
                    </span>
                  ) : a.judgeStatus === "error" ? (
                    <span className="ml-1.5 text-xs text-slate-500" title="The judge failed">
                      judge error
                    </span>
                  ) : null}
                </td>
              ))}
              <CaseExcerptCell text={row.caseExcerpt} />
            </tr>
          );
        })}
      </DataTable>

      <Pager
        label="Pages of questions"
        page={state.page}
        pageSize={state.pageSize}
        totalRows={data?.totalRows}
        onPage={(page) => setState((s) => ({ ...s, page }))}
        testId="results-count"
      />
    </div>
  );
}
