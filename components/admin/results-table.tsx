"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { DataTable } from "@/components/ui/data-table";
import { ErrorPanel } from "@/components/ui/error-panel";
import { Field } from "@/components/ui/field";
import { Select, TextInput } from "@/components/ui/inputs";
import { ResultsPageSchema } from "@/eval/api/schemas";
import { apiJson, errorBodyOf } from "./api";
import { itemHref } from "./format";
import { LetterBadge } from "./letter-badge";
import { FILTERS, resultsStateFrom, type ResultsFilter, type ResultsState } from "./results-filters";
import { useRun } from "./use-run";

const PAGE_SIZES = [10, 25, 50, 100] as const;

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
    queryFn: () => apiJson(`/api/runs/${encodeURIComponent(runId)}/results?${params}`, ResultsPageSchema),
    enabled: run !== undefined,
    placeholderData: keepPreviousData,
  });

  const models = run?.models ?? [];
  const data = results.data;
  const pages = data ? Math.max(1, Math.ceil(data.totalRows / data.pageSize)) : 1;
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
        <Field id="results-search" label="Search cases and options" className="min-w-56 flex-1">
          {(control) => (
            <TextInput
              {...control}
              type="search"
              value={search}
              maxLength={200}
              onChange={(e) => setSearch(e.target.value)}
              placeholder="e.g. thyroid"
            />
          )}
        </Field>
        <Field id="results-page-size" label="Rows per page">
          {(control) => (
            <Select {...control} value={state.pageSize} onChange={(e) => set({ pageSize: Number(e.target.value) })}>
              {PAGE_SIZES.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </Select>
          )}
        </Field>
      </div>

      {results.error ? <ErrorPanel error={errorBodyOf(results.error)} /> : null}

      <DataTable
        testId="results-table"
        caption="Questions of the run with each model's answer; select a question number to open its details."
        columns={[
          { label: "#" },
          { label: "Case" },
          { label: "Ref", className: "text-center" },
          ...models.map((m) => ({ label: m, className: "text-center font-mono normal-case" })),
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
              onClick={(e) => {
                if ((e.target as HTMLElement).closest("a")) return;
                router.push(href);
              }}
              className="cursor-pointer align-top hover:bg-brand-50"
            >
              <td className="px-3 py-2 font-mono text-xs">
                <Link href={href} className="text-brand-700 underline" aria-label={`Question ${row.itemIdx}: details`}>
                  {row.itemIdx}
                </Link>
              </td>
              <td className="px-3 py-2 text-slate-700">{row.caseExcerpt}</td>
              <td className="px-3 py-2 text-center font-semibold" data-testid="reference">
                {row.reference}
              </td>
              {row.answers.map((a) => (
                <td key={a.model} className="px-3 py-2 text-center whitespace-nowrap" data-model={a.model}>
                  <LetterBadge answer={a} />
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
            </tr>
          );
        })}
      </DataTable>

      <nav className="flex flex-wrap items-center justify-between gap-3 text-sm" aria-label="Pages of questions">
        <p className="text-slate-600" data-testid="results-count" aria-live="polite">
          {data ? `${data.totalRows} question${data.totalRows === 1 ? "" : "s"} · page ${data.page} of ${pages}` : ""}
        </p>
        <div className="flex items-center gap-2">
          <Button size="sm" disabled={state.page <= 1} onClick={() => setState((s) => ({ ...s, page: 1 }))}>
            First
          </Button>
          <Button
            size="sm"
            disabled={state.page <= 1}
            onClick={() => setState((s) => ({ ...s, page: Math.max(1, s.page - 1) }))}
          >
            Previous
          </Button>
          <Button
            size="sm"
            disabled={!data || state.page >= pages}
            onClick={() => setState((s) => ({ ...s, page: s.page + 1 }))}
          >
            Next
          </Button>
          <Button
            size="sm"
            disabled={!data || state.page >= pages}
            onClick={() => setState((s) => ({ ...s, page: pages }))}
          >
            Last
          </Button>
        </div>
      </nav>
    </div>
  );
}
