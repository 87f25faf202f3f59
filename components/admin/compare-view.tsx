"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useState, type ReactNode } from "react";
import { DataTable } from "@/components/ui/data-table";
import { SectionHead } from "@/components/ui/section-head";
import { Field, Fieldset } from "@/components/ui/field";
import { Select } from "@/components/ui/inputs";
import type { ComparisonView, RunView } from "@/eval/api/schemas";
import { ComparisonReader } from "./read-eval";
import { apiJson, errorBodyOf } from "./api";
import type { Sides } from "./compare-state";
import { CalibrationPanel } from "./calibration-panel";
import type { CalibrationSeries } from "./calibration";
import { itemHref, modelColor, pct, pp, pValue, questionNumber, runHref, runLabel } from "./format";
import { CaseExcerptCell, PageSizeField, Pager, TableSearchField } from "./pager";
import { ProblemPanel } from "./problem";
import { DEFAULT_TABLE, type CompareTableState } from "./compare-state";
import { FILTERS, type ResultsFilter } from "./results-filters";
import { fetchRuns } from "./api";

export type { Sides } from "./compare-state";

/** The results table's filters, in the words of a comparison of two sides. */
const COMPARE_LABELS: Partial<Record<ResultsFilter, string>> = {
  wrong: "Either side wrong",
  disagree: "The sides disagree",
};

/** What each filter means on paired questions (the results table's filters, applied to two sides). */
const FILTER_NOTES: Record<ResultsFilter, string> = {
  all: "every question both sides answered",
  wrong: "questions at least one side got wrong",
  errors: "none: a question with a failed generation is not paired",
  disagree: "questions where the two sides chose different letters",
  unparseable: "questions where the judge's verdict on either side could not be read",
};

/** The four choices, completed with defaults: a run with two models compares its own two models. */
function withDefaults(s: Partial<Sides>, runs: RunView[]): Sides {
  const find = (id: string | undefined) => runs.find((r) => r.id === id);
  const runA =
    find(s.runA) ??
    runs.find((r) => r.models.length >= 2 && r.status === "completed") ??
    runs.find((r) => r.models.length >= 2) ??
    runs[0];
  if (!runA) return { runA: "", modelA: "", runB: "", modelB: "" };
  const modelA = s.modelA && runA.models.includes(s.modelA) ? s.modelA : (runA.models[0] ?? "");
  const sameDataset = runs.filter((r) => r.datasetId === runA.datasetId);
  const runB = find(s.runB) ?? (runA.models.length >= 2 ? runA : (sameDataset.find((r) => r.id !== runA.id) ?? runA));
  const modelB =
    s.modelB && runB.models.includes(s.modelB)
      ? s.modelB
      : (runB.models.find((m) => runB.id !== runA.id || m !== modelA) ?? runB.models[0] ?? "");
  return { runA: runA.id, modelA, runB: runB.id, modelB };
}

function RunSide({
  side,
  runs,
  runId,
  model,
  onChange,
}: {
  side: "A" | "B";
  runs: RunView[];
  runId: string;
  model: string;
  onChange: (runId: string, model: string) => void;
}) {
  const run = runs.find((r) => r.id === runId);
  return (
    <Fieldset legend={`Side ${side}`}>
      <Field id={`run-${side}`} label={`Run ${side}`}>
        {(control) => (
          <Select
            {...control}
            value={runId}
            onChange={(e) => onChange(e.target.value, runs.find((r) => r.id === e.target.value)?.models[0] ?? "")}
            className="w-full min-w-0"
          >
            {runs.map((r) => (
              <option key={r.id} value={r.id}>
                {runLabel(r)} · {r.datasetName ?? r.datasetId} · {r.status}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field id={`model-${side}`} label={`Model ${side}`}>
        {(control) => (
          <Select
            {...control}
            value={model}
            onChange={(e) => onChange(runId, e.target.value)}
            className="w-full min-w-0"
          >
            {(run?.models ?? []).map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </Select>
        )}
      </Field>
    </Fieldset>
  );
}

function Stat({ label, value, hint, testId }: { label: string; value: string; hint?: ReactNode; testId?: string }) {
  return (
    <div className="min-w-0 rounded-lg border border-slate-200 bg-white p-4">
      <dt className="text-xs tracking-wide text-slate-500 uppercase">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold tabular-nums" data-testid={testId}>
        {value}
      </dd>
      {hint ? <dd className="text-xs break-words text-slate-600">{hint}</dd> : null}
    </div>
  );
}

/** A side's pick on one question: the letter, and right or wrong in words and a mark (not colour alone). */
function Pick({ p }: { p: ComparisonView["rows"][number]["a"] }) {
  return (
    <span
      className={`inline-flex items-center gap-1 font-semibold ${p.exact ? "text-emerald-700" : "text-red-700"}`}
      data-verdict={p.exact ? "correct" : "wrong"}
    >
      {p.letter ?? "none"}
      <span aria-hidden>{p.exact ? "✓" : "✗"}</span>
      <span className="sr-only">{p.exact ? "(right)" : "(wrong)"}</span>
      {p.judgeScore !== null ? (
        <span className="text-xs font-normal text-slate-600" title="Judge score (0–5)">
          {p.judgeScore}/5
        </span>
      ) : null}
    </span>
  );
}

/** "−4.1 to +8.2 pp" */
const ppRange = (ci: [number, number]) => `${pp(ci[0])} to ${pp(ci[1])}`;

function Figures({ c, labelA, labelB }: { c: ComparisonView; labelA: string; labelB: string }) {
  const judged = c.judge.wins + c.judge.losses + c.judge.ties;
  return (
    <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
      <Stat label="Paired questions" value={String(c.paired)} hint="answered by both sides" testId="paired" />
      <Stat label="Accuracy A" value={pct(c.accuracyA)} hint={labelA} testId="accuracy-a" />
      <Stat label="Accuracy B" value={pct(c.accuracyB)} hint={labelB} testId="accuracy-b" />
      <Stat
        label="Difference (A − B)"
        value={pp(c.accuracyDiff)}
        hint={
          c.accuracyDiffCi ? (
            <span data-testid="accuracy-diff-ci">
              95% CI {ppRange(c.accuracyDiffCi)} (Wald interval for matched proportions)
            </span>
          ) : (
            "no paired questions"
          )
        }
        testId="accuracy-diff"
      />
      <Stat
        label="McNemar exact p"
        value={pValue(c.mcnemarP)}
        hint={c.mcnemarP < 0.05 ? "significant at 5%" : "not significant at 5%"}
        testId="mcnemar-p"
      />
      <Stat
        label="Discordant pairs"
        value={`${c.discordant.aOnly} / ${c.discordant.bOnly}`}
        hint="A right & B wrong / A wrong & B right"
        testId="discordant"
      />
      <Stat
        label="Judge: A wins / losses / ties"
        value={judged === 0 ? "—" : `${c.judge.wins} / ${c.judge.losses} / ${c.judge.ties}`}
        hint={judged === 0 ? "no paired judge scores" : `${c.judge.skipped} pairs without both scores`}
        testId="judge-wlt"
      />
    </dl>
  );
}

function Rows({
  c,
  table,
  setTable,
  labelA,
  labelB,
  fetching,
}: {
  c: ComparisonView;
  table: CompareTableState;
  setTable: (patch: Partial<CompareTableState>) => void;
  labelA: string;
  labelB: string;
  fetching: boolean;
}) {
  const router = useRouter();
  const sameRun = c.a.runId === c.b.runId;
  const [search, setSearch] = useState(table.q);
  useEffect(() => {
    if (search.trim() === table.q) return;
    const t = setTimeout(() => setTable({ q: search.trim(), page: 1 }), 300);
    return () => clearTimeout(t);
  }, [search, table.q, setTable]);

  return (
    <section aria-labelledby="paired-heading" className="min-w-0 space-y-3">
      <SectionHead id="paired-heading" title="Questions" size="text-lg">
        Showing {FILTER_NOTES[table.filter]}.
      </SectionHead>
      <div className="flex flex-wrap items-end gap-3" role="search" aria-label="Filter the paired questions">
        <Field id="compare-filter" label="Show">
          {(control) => (
            <Select
              {...control}
              value={table.filter}
              onChange={(e) => setTable({ filter: e.target.value as ResultsFilter, page: 1 })}
            >
              {FILTERS.map(([value, label]) => (
                <option key={value} value={value}>
                  {COMPARE_LABELS[value] ?? label}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <TableSearchField
          id="compare-search"
          label="Search cases"
          className="min-w-48 flex-1"
          value={search}
          onChange={setSearch}
        />
        <PageSizeField
          id="compare-page-size"
          value={table.pageSize}
          onChange={(pageSize) => setTable({ pageSize, page: 1 })}
        />
      </div>
      <DataTable
        testId="compare-table"
        caption="Paired questions with the reference answer and each side's pick; select a number to open the question."
        columns={[
          // The letters first, the case last: on a narrow screen the picks show without scrolling sideways.
          { label: "#" },
          { label: "Ref", className: "text-center" },
          { label: `A: ${labelA}`, className: "text-center normal-case font-mono" },
          { label: `B: ${labelB}`, className: "text-center normal-case font-mono" },
          { label: "Case" },
          ...(sameRun ? [] : [{ label: "Open" }]),
        ]}
        minWidth="min-w-[640px]"
        busy={fetching}
        after={
          c.rows.length === 0 ? (
            <p className="p-4 text-sm text-slate-600" data-testid="no-differing">
              {table.filter === "disagree" && !table.q
                ? "Both sides chose the same letter on every paired question."
                : "No paired question matches these filters."}
            </p>
          ) : null
        }
      >
        {c.rows.map((r) => {
          const n = questionNumber(r.itemIdx);
          const href = itemHref(c.a.runId, r.itemIdx);
          return (
            <tr
              key={r.itemIdx}
              data-testid="compare-row"
              data-item={r.itemIdx}
              className="cursor-pointer align-top hover:bg-brand-50"
              onClick={(e) => {
                if ((e.target as HTMLElement).closest("a")) return;
                router.push(href);
              }}
            >
              <td className="px-3 py-2 font-mono text-xs">
                <Link href={href} className="text-brand-700 underline" aria-label={`Question ${n}: details`}>
                  {n}
                </Link>
              </td>
              <td className="px-3 py-2 text-center font-semibold" data-testid="reference">
                {r.reference}
              </td>
              <td className="px-3 py-2 text-center whitespace-nowrap" data-side="A">
                <Pick p={r.a} />
              </td>
              <td className="px-3 py-2 text-center whitespace-nowrap" data-side="B">
                <Pick p={r.b} />
              </td>
              <CaseExcerptCell text={r.caseExcerpt} />
              {sameRun ? null : (
                <td className="space-x-3 px-3 py-2 whitespace-nowrap">
                  <Link href={itemHref(c.a.runId, r.itemIdx)} className="text-brand-700 underline">
                    in run A
                  </Link>
                  <Link href={itemHref(c.b.runId, r.itemIdx)} className="text-brand-700 underline">
                    in run B
                  </Link>
                </td>
              )}
            </tr>
          );
        })}
      </DataTable>
      <Pager
        label="Pages of paired questions"
        page={table.page}
        pageSize={table.pageSize}
        totalRows={c.totalRows}
        onPage={(page) => setTable({ page })}
        testId="compare-count"
      />
    </section>
  );
}

/** The query string of a comparison: the sides, then the table's state where it differs from the default. */
function compareQuery(sides: Sides, t: CompareTableState): string {
  const p = new URLSearchParams(sides);
  if (t.filter !== DEFAULT_TABLE.filter) p.set("filter", t.filter);
  if (t.q) p.set("q", t.q);
  if (t.page !== 1) p.set("page", String(t.page));
  if (t.pageSize !== DEFAULT_TABLE.pageSize) p.set("pageSize", String(t.pageSize));
  return p.toString();
}

/**
 * Paired comparison of two (run, model) sides: the accuracy difference with its interval, McNemar's test, the
 * judge's wins and losses, both sides' calibration, and the paired questions paged with the results table's
 * filters. The choice is kept in the URL so a comparison can be linked.
 */
export function CompareView({
  initial,
  initialTable = DEFAULT_TABLE,
}: {
  initial: Partial<Sides>;
  initialTable?: CompareTableState;
}) {
  const runs = useQuery({ queryKey: ["runs"], queryFn: fetchRuns });
  const [choice, setChoice] = useState<Partial<Sides>>(initial);
  const [table, setTableState] = useState<CompareTableState>(initialTable);
  const list = runs.data?.runs ?? [];
  const sides = withDefaults(choice, list);
  const ready = Boolean(sides.runA && sides.modelA && sides.runB && sides.modelB);
  const qs = compareQuery(sides, table);
  const setTable = useCallback((patch: Partial<CompareTableState>) => setTableState((t) => ({ ...t, ...patch })), []);
  const choose = (next: Sides) => {
    setChoice(next);
    setTableState((t) => ({ ...t, page: 1 }));
  };

  useEffect(() => {
    if (!ready) return;
    const url = `${window.location.pathname}?${qs}`;
    if (url !== `${window.location.pathname}${window.location.search}`) window.history.replaceState(null, "", url);
  }, [ready, qs]);

  const apiQuery = new URLSearchParams({
    ...sides,
    filter: table.filter,
    page: String(table.page),
    pageSize: String(table.pageSize),
  });
  if (table.q) apiQuery.set("q", table.q);
  const comparison = useQuery({
    queryKey: ["compare", apiQuery.toString()],
    queryFn: () => apiJson(`/api/compare?${apiQuery}`, ComparisonReader),
    enabled: ready,
    placeholderData: keepPreviousData,
  });

  if (runs.error) return <ProblemPanel error={errorBodyOf(runs.error)} />;
  if (runs.isPending) return <p className="text-sm text-slate-500">Loading runs…</p>;
  if (list.length === 0) {
    return (
      <p className="text-sm text-slate-600">
        No runs to compare yet.{" "}
        <Link href="/admin/runs/new" className="text-brand-700 underline">
          Start a run
        </Link>{" "}
        with two models.
      </p>
    );
  }
  const runB = list.find((r) => r.id === sides.runB);
  const runA = list.find((r) => r.id === sides.runA);
  const sameRun = sides.runA === sides.runB;
  const labelA = sameRun || !runA ? sides.modelA : `${sides.modelA} (${runLabel(runA)})`;
  const labelB = sameRun || !runB ? sides.modelB : `${sides.modelB} (${runLabel(runB)})`;
  const summaryOf = (run: RunView | undefined, model: string) => run?.summary?.find((s) => s.model === model);
  const series: CalibrationSeries[] = [
    {
      key: "A",
      label: `A: ${labelA}`,
      color: modelColor(0),
      calibration: summaryOf(runA, sides.modelA)?.calibration ?? null,
    },
    {
      key: "B",
      label: `B: ${labelB}`,
      color: modelColor(1),
      calibration: summaryOf(runB, sides.modelB)?.calibration ?? null,
    },
  ];
  const c = comparison.data;
  return (
    <div className="space-y-6">
      <form
        className="grid gap-4 md:grid-cols-2"
        aria-label="Choose what to compare"
        onSubmit={(e) => e.preventDefault()}
      >
        <RunSide
          side="A"
          runs={list}
          runId={sides.runA}
          model={sides.modelA}
          onChange={(runA, modelA) => choose({ ...sides, runA, modelA })}
        />
        <RunSide
          side="B"
          runs={list}
          runId={sides.runB}
          model={sides.modelB}
          onChange={(runB, modelB) => choose({ ...sides, runB, modelB })}
        />
      </form>
      {runA && runB && runA.datasetId !== runB.datasetId ? (
        <p className="text-sm text-amber-800" role="status">
          The two runs use different datasets; only runs on the same dataset can be paired.
        </p>
      ) : null}
      {sameRun && sides.modelA === sides.modelB ? (
        <p className="text-sm text-amber-800" role="status">
          Both sides are the same model of the same run; pick another model or run for side B.
        </p>
      ) : null}
      <p className="text-sm">
        <Link href={runHref(sides.runA)} className="text-brand-700 underline">
          Open run A
        </Link>
        {!sameRun ? (
          <>
            {" · "}
            <Link href={runHref(sides.runB)} className="text-brand-700 underline">
              Open run B
            </Link>
          </>
        ) : null}
      </p>
      {comparison.error ? <ProblemPanel error={errorBodyOf(comparison.error)} /> : null}
      {comparison.isPending && ready ? <p className="text-sm text-slate-500">Comparing…</p> : null}
      {c && !comparison.error ? (
        <div className="space-y-6" data-testid="comparison">
          <Figures c={c} labelA={labelA} labelB={labelB} />
          <section aria-labelledby="compare-calibration-heading" className="min-w-0 space-y-3">
            <SectionHead
              id="compare-calibration-heading"
              title="Calibration"
              size="text-lg"
              introClassName="max-w-prose"
            >
              Each side over all its answers with a confidence (not only the paired questions).
            </SectionHead>
            <CalibrationPanel series={series} subject="two sides" testId="compare-calibration" />
          </section>
          <Rows
            c={c}
            table={table}
            setTable={setTable}
            labelA={labelA}
            labelB={labelB}
            fetching={comparison.isFetching}
          />
        </div>
      ) : null}
    </div>
  );
}
