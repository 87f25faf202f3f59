"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { DataTable, type Column } from "@/components/ui/data-table";
import { ErrorPanel } from "@/components/ui/error-panel";
import { apiJson, errorBodyOf, isActiveStatus, POLL_MS, RunsListSchema } from "./api";
import { dateTime, runHref } from "./format";
import { ProgressBar } from "./progress-bar";
import { StatusBadge } from "./status-badge";

export const fetchRuns = () => apiJson("/api/runs", RunsListSchema);

const RUN_COLUMNS: Column[] = [
  { label: "Run" },
  { label: "Status" },
  { label: "Dataset" },
  { label: "Models" },
  { label: "Judge" },
  { label: "Created" },
  { label: "Progress" },
];

/** All runs, newest first; polls while any run is queued or running. */
export function RunsTable() {
  const { data, error, isPending } = useQuery({
    queryKey: ["runs"],
    queryFn: fetchRuns,
    refetchInterval: (q) => (q.state.data?.runs.some((r) => isActiveStatus(r.status)) ? POLL_MS : false),
  });
  if (error) return <ErrorPanel error={errorBodyOf(error)} />;
  if (isPending) return <p className="text-sm text-slate-500">Loading runs…</p>;
  if (data.runs.length === 0) {
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
  return (
    <DataTable
      testId="runs-table"
      caption="Evaluation runs, newest first"
      columns={RUN_COLUMNS}
      minWidth="min-w-[760px]"
    >
      {data.runs.map((run) => (
        <tr key={run.id} data-testid={`run-row-${run.id}`} className="align-top hover:bg-slate-50">
          <td className="px-3 py-2 font-mono text-xs">
            <Link href={runHref(run.id)} className="text-brand-700 underline hover:text-brand-600">
              {run.id}
            </Link>
          </td>
          <td className="px-3 py-2">
            <StatusBadge status={run.status} />
          </td>
          <td className="px-3 py-2">{run.datasetName ?? <span className="text-slate-400">{run.datasetId}</span>}</td>
          <td className="px-3 py-2">
            <ul>
              {run.models.map((m) => (
                <li key={m} className="font-mono text-xs">
                  {m}
                </li>
              ))}
            </ul>
          </td>
          <td className="px-3 py-2 text-xs">{run.judge ?? <span className="text-slate-400">none</span>}</td>
          <td className="px-3 py-2 text-xs whitespace-nowrap">{dateTime(run.createdAt)}</td>
          <td className="px-3 py-2">
            <ProgressBar done={run.done} total={run.total} label={`Progress of ${run.id}`} compact />
            {run.errors > 0 ? <p className="text-xs text-red-700">{run.errors} errors</p> : null}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
