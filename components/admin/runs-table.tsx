"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useEffect, useMemo, useState, type ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DataTable, type Column } from "@/components/ui/data-table";
import { Field } from "@/components/ui/field";
import { Select } from "@/components/ui/inputs";
import type { RunView } from "@/eval/api/schemas";
import type { RunStatus } from "@/eval/domain";
import { RUN_STATUSES } from "./read-eval";
import { errorBodyOf, fetchRuns, isActiveStatus, POLL_MS } from "./api";
import { Explain, MEANINGS } from "./explain";
import { compareHref, dateTime, num, pct, pctRange, plural, runHref, runLabel } from "./format";
import { EditLabelButton } from "./label-dialog";
import { ProblemPanel } from "./problem";
import { ProgressBar } from "./progress-bar";
import { StatusBadge } from "./status-badge";

type Filters = { dataset: string; model: string; status: string };

const filtersFrom = (sp: { get(name: string): string | null }): Filters => ({
  dataset: sp.get("dataset") ?? "",
  model: sp.get("model") ?? "",
  status: sp.get("status") ?? "",
});

function matches(run: RunView, f: Filters): boolean {
  return (
    (!f.dataset || run.datasetId === f.dataset) &&
    (!f.model || run.models.includes(f.model)) &&
    (!f.status || run.status === f.status)
  );
}

/**
 * Side B's model for two ticked runs: the same model as side A when run B has it (the usual question: did the
 * change between the runs help this model?), else run B's first model.
 */
export function compareTarget(a: RunView, b: RunView): string {
  const modelA = a.models[0] ?? "";
  const modelB = b.models.includes(modelA) ? modelA : (b.models[0] ?? "");
  return compareHref({ runA: a.id, modelA, runB: b.id, modelB });
}

/** One line per model in a cell; every column's lines have the same height so that a model's figures line up. */
function PerModel({
  run,
  children,
}: {
  run: RunView;
  children: (s: NonNullable<RunView["summary"]>[number]) => ReactNode;
}) {
  const byModel = new Map((run.summary ?? []).map((s) => [s.model, s]));
  return (
    <ul>
      {run.models.map((m) => {
        const s = byModel.get(m);
        return (
          <li key={m} className="flex h-7 items-center whitespace-nowrap" data-model={m}>
            {s ? children(s) : <span className="text-slate-400">—</span>}
          </li>
        );
      })}
    </ul>
  );
}

const COLUMNS: Column[] = [
  { label: <span className="sr-only">Tick to compare</span>, className: "w-8" },
  { label: "Run" },
  { label: "Status" },
  { label: "Dataset" },
  { label: "Model" },
  {
    label: (
      <Explain term="accuracy" meaning={MEANINGS.accuracyCi}>
        Accuracy (95% CI)
      </Explain>
    ),
  },
  { label: "Judge mean" },
  { label: <Explain term="ECE" meaning={MEANINGS.ece} /> },
  { label: "Errors", className: "text-right" },
];

function RunRow({
  run,
  tick,
  onTick,
}: {
  run: RunView;
  /** "A" or "B" when ticked */
  tick: "A" | "B" | null;
  onTick: (on: boolean) => void;
}) {
  const label = runLabel(run);
  return (
    <tr
      data-testid={`run-row-${run.id}`}
      data-ticked={tick ?? undefined}
      className={`align-top ${tick ? "bg-brand-50" : "hover:bg-slate-50"}`}
    >
      <td className="px-3 py-2">
        <label className="flex items-center gap-1">
          <input
            type="checkbox"
            checked={tick !== null}
            onChange={(e) => onTick(e.target.checked)}
            className="h-4 w-4 accent-brand-600"
            aria-label={`Tick ${label} to compare`}
          />
          {tick ? (
            <span className="text-xs font-semibold text-brand-700" aria-hidden>
              {tick}
            </span>
          ) : null}
        </label>
      </td>
      <td className="max-w-72 min-w-48 px-3 py-2">
        <Link
          href={runHref(run.id)}
          className={`font-medium break-words text-brand-700 underline hover:text-brand-600 ${run.name ? "" : "font-mono text-xs break-all"}`}
          data-testid="run-link"
        >
          {label}
        </Link>
        {run.name ? (
          <span className="block font-mono text-[0.6875rem] break-all text-slate-500" data-testid="run-id">
            {run.id}
          </span>
        ) : null}
        <span className="block text-xs text-slate-500">Created {dateTime(run.createdAt)}</span>
        {run.notes ? (
          <span className="mt-0.5 line-clamp-2 block text-xs text-slate-600" title={run.notes} data-testid="run-notes">
            {run.notes}
          </span>
        ) : null}
        <EditLabelButton run={run} size="xs" label={run.name || run.notes ? "Edit" : "Add name"} className="-ml-2" />
      </td>
      <td className="px-3 py-2">
        <div className="flex flex-wrap items-center gap-1">
          <StatusBadge status={run.status} />
          {run.warnings.length ? (
            <Badge tone="warning" title={run.warnings.join("\n")} data-testid="run-warning-mark">
              <span aria-hidden className="mr-1">
                ⚠
              </span>
              {plural(run.warnings.length, "warning")}
              <span className="sr-only">: {run.warnings.join(" ")}</span>
            </Badge>
          ) : null}
        </div>
        <ProgressBar done={run.done} total={run.total} label={`Progress of ${label}`} compact />
      </td>
      <td className="px-3 py-2">{run.datasetName ?? <span className="text-slate-500">{run.datasetId}</span>}</td>
      <td className="px-3 py-2">
        <PerModel run={run}>{(s) => <span className="font-mono text-xs">{s.model}</span>}</PerModel>
      </td>
      <td className="px-3 py-2" data-testid="accuracy-cell">
        <PerModel run={run}>
          {(s) => (
            <span className="tabular-nums">
              <span className="font-semibold">{pct(s.accuracy)}</span>{" "}
              <span className="text-xs text-slate-500">{s.accuracyCi ? pctRange(s.accuracyCi) : ""}</span>
            </span>
          )}
        </PerModel>
      </td>
      <td className="px-3 py-2" data-testid="judge-cell">
        {run.judge === null ? (
          <span className="text-xs whitespace-nowrap text-slate-500">no judge</span>
        ) : (
          <PerModel run={run}>
            {(s) => <span className="tabular-nums">{s.judgeMean === null ? "—" : `${num(s.judgeMean, 2)} / 5`}</span>}
          </PerModel>
        )}
      </td>
      <td className="px-3 py-2" data-testid="ece-cell">
        <PerModel run={run}>{(s) => <span className="tabular-nums">{num(s.calibration?.ece, 3)}</span>}</PerModel>
      </td>
      <td className="px-3 py-2 text-right" data-testid="errors-cell">
        <PerModel run={run}>
          {(s) => (
            <span className={`ml-auto tabular-nums ${s.errors ? "font-semibold text-red-700" : ""}`}>{s.errors}</span>
          )}
        </PerModel>
      </td>
    </tr>
  );
}

/** The two ticked runs (in the order they were ticked) and the way to the compare page. */
function CompareBar({ ticked, runs, onClear }: { ticked: string[]; runs: RunView[]; onClear: () => void }) {
  const [a, b] = ticked.map((id) => runs.find((r) => r.id === id));
  const datasetsDiffer = a && b && a.datasetId !== b.datasetId;
  return (
    <div
      className="flex flex-wrap items-center gap-x-3 gap-y-2 rounded-lg border border-slate-200 bg-white px-3 py-2 text-sm"
      data-testid="compare-bar"
      aria-live="polite"
    >
      {ticked.length === 0 ? (
        <span className="text-slate-600">Tick two runs to compare them question by question.</span>
      ) : (
        <span className="min-w-0 break-words">
          <span className="font-semibold">A:</span> {a ? runLabel(a) : "—"}
          {b ? (
            <>
              {" · "}
              <span className="font-semibold">B:</span> {runLabel(b)}
            </>
          ) : (
            <span className="text-slate-600"> · tick one more run</span>
          )}
        </span>
      )}
      {datasetsDiffer ? (
        <span className="text-amber-800" role="status">
          These two runs use different datasets; only runs on the same dataset can be compared.
        </span>
      ) : null}
      <span className="ml-auto flex gap-2">
        {a && b && !datasetsDiffer ? (
          <Link
            href={compareTarget(a, b)}
            className="rounded-md bg-brand-600 px-3 py-1.5 font-semibold text-white hover:bg-brand-700 focus:outline-none focus:ring-2 focus:ring-brand-600/40"
          >
            Compare A and B
          </Link>
        ) : (
          <Button size="sm" variant="primary" disabled>
            Compare A and B
          </Button>
        )}
        {ticked.length ? (
          <Button size="sm" onClick={onClear}>
            Clear ticks
          </Button>
        ) : null}
      </span>
    </div>
  );
}

/**
 * All runs, newest first, one row each with every model's headline figures (accuracy with its interval, judge mean,
 * ECE, errors); filtered by dataset, model and status (kept in the page URL); tick two to compare them. Polls while
 * any run is queued or running.
 */
export function RunsTable() {
  const searchParams = useSearchParams();
  const [filters, setFilters] = useState<Filters>(() => filtersFrom(searchParams));
  const [ticked, setTicked] = useState<string[]>([]);
  const { data, error, isPending } = useQuery({
    queryKey: ["runs"],
    queryFn: fetchRuns,
    refetchInterval: (q) => (q.state.data?.runs.some((r) => isActiveStatus(r.status)) ? POLL_MS : false),
  });

  useEffect(() => {
    const p = new URLSearchParams(window.location.search);
    for (const [k, v] of Object.entries(filters)) {
      if (v) p.set(k, v);
      else p.delete(k);
    }
    const qs = p.toString();
    const url = `${window.location.pathname}${qs ? `?${qs}` : ""}`;
    if (url !== `${window.location.pathname}${window.location.search}`) window.history.replaceState(null, "", url);
  }, [filters]);

  const runs = useMemo(() => data?.runs ?? [], [data]);
  const choices = useMemo(() => {
    const datasets = new Map<string, string>();
    const models = new Set<string>();
    const statuses = new Set<RunStatus>();
    for (const r of runs) {
      datasets.set(r.datasetId, r.datasetName ?? r.datasetId);
      r.models.forEach((m) => models.add(m));
      statuses.add(r.status);
    }
    return {
      datasets: [...datasets].sort((x, y) => x[1].localeCompare(y[1])),
      models: [...models].sort(),
      statuses: RUN_STATUSES.filter((s) => statuses.has(s)),
    };
  }, [runs]);

  if (error) return <ProblemPanel error={errorBodyOf(error)} />;
  if (isPending) return <p className="text-sm text-slate-500">Loading runs…</p>;
  if (runs.length === 0) {
    return (
      <p className="rounded-lg border border-dashed border-slate-300 bg-white p-4 text-sm text-slate-600">
        No runs yet. Upload a dataset below, then{" "}
        <Link href="/admin/runs/new" className="font-medium text-brand-700 underline">
          start a run
        </Link>
        .
      </p>
    );
  }

  const shown = runs.filter((r) => matches(r, filters));
  const filtered = shown.length !== runs.length;
  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }));
  const tick = (id: string, on: boolean) =>
    // The first two ticks are A and B; a third tick replaces B.
    setTicked((t) => (on ? [...t.filter((x) => x !== id).slice(0, 1), id] : t.filter((x) => x !== id)));

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end gap-3" role="search" aria-label="Filter the runs">
        <Field id="runs-dataset" label="Dataset">
          {(control) => (
            <Select {...control} value={filters.dataset} onChange={(e) => set({ dataset: e.target.value })}>
              <option value="">All datasets</option>
              {choices.datasets.map(([id, name]) => (
                <option key={id} value={id}>
                  {name}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field id="runs-model" label="Model">
          {(control) => (
            <Select {...control} value={filters.model} onChange={(e) => set({ model: e.target.value })}>
              <option value="">All models</option>
              {choices.models.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field id="runs-status" label="Status">
          {(control) => (
            <Select {...control} value={filters.status} onChange={(e) => set({ status: e.target.value })}>
              <option value="">Any status</option>
              {choices.statuses.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <p className="pb-1.5 text-sm text-slate-600" data-testid="runs-count" aria-live="polite">
          {filtered ? `${shown.length} of ${plural(runs.length, "run")}` : plural(runs.length, "run")}
        </p>
        {filtered ? (
          <Button size="sm" variant="ghost" onClick={() => setFilters({ dataset: "", model: "", status: "" })}>
            Clear filters
          </Button>
        ) : null}
      </div>

      <CompareBar ticked={ticked} runs={runs} onClear={() => setTicked([])} />
      <p className="text-xs text-slate-500 lg:hidden">
        The table scrolls sideways: each model&apos;s accuracy, judge mean, ECE and errors are to the right.
      </p>

      <DataTable
        testId="runs-table"
        caption="Evaluation runs, newest first, with each model's accuracy, judge mean, calibration error and errors"
        columns={COLUMNS}
        minWidth="min-w-[920px]"
        after={
          shown.length === 0 ? (
            <p className="p-4 text-sm text-slate-600" data-testid="runs-empty">
              No run matches these filters.
            </p>
          ) : null
        }
      >
        {shown.map((run) => {
          const at = ticked.indexOf(run.id);
          return (
            <RunRow
              key={run.id}
              run={run}
              tick={at === 0 ? "A" : at === 1 ? "B" : null}
              onTick={(on) => tick(run.id, on)}
            />
          );
        })}
      </DataTable>
    </div>
  );
}
