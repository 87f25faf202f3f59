"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { ErrorPanel } from "@/components/ui/error-panel";
import { RunViewSchema, type RunView } from "@/eval/api/schemas";
import { apiPost, errorBodyOf, isActiveStatus } from "./api";
import { dateTime } from "./format";
import { ProgressBar } from "./progress-bar";
import { canRetryMirror, mirrorUrl, recoveryAction, resumeUrl } from "./run-actions";
import { StatusBadge } from "./status-badge";
import { runQueryKey, useRun } from "./use-run";

/** Status, live progress, cancel, resume, Weave mirror, exports and the compare link of one run. */
export function RunStatusPanel({ runId }: { runId: string }) {
  const client = useQueryClient();
  const { data: run, error, isPending } = useRun(runId);
  const onRun = (next: RunView) => {
    // Keep the summary we already have; the next poll or invalidation refreshes it.
    client.setQueryData<RunView>(runQueryKey(runId), (prev) => ({ ...next, summary: next.summary ?? prev?.summary }));
    void client.invalidateQueries({ queryKey: runQueryKey(runId) });
    void client.invalidateQueries({ queryKey: ["runs"] });
  };
  const cancel = useMutation({
    mutationFn: () => apiPost(`/api/runs/${encodeURIComponent(runId)}/cancel`, RunViewSchema),
    onSuccess: onRun,
  });
  const retry = useMutation({ mutationFn: () => apiPost(mirrorUrl(runId), RunViewSchema), onSuccess: onRun });
  // 202 with the run, queued again: the poll of an active run takes over from there.
  const resume = useMutation({ mutationFn: () => apiPost(resumeUrl(runId), RunViewSchema), onSuccess: onRun });

  if (error) return <ErrorPanel error={errorBodyOf(error)} />;
  if (isPending) return <p className="text-sm text-slate-500">Loading run…</p>;

  const active = isActiveStatus(run.status);
  const recovery = recoveryAction(run);
  const exportBase = `/api/runs/${encodeURIComponent(run.id)}/export`;
  const [first, second] = run.models;

  return (
    <section aria-label="Run status" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm">
        <StatusBadge status={run.status} />
        <span>
          Dataset: <span className="font-medium">{run.datasetName ?? run.datasetId}</span> · {run.items} items
        </span>
        <span>
          Judge: <span className="font-medium">{run.judge ?? "none"}</span>
        </span>
        <span className="text-slate-600">Created {dateTime(run.createdAt)}</span>
        {run.finishedAt ? <span className="text-slate-600">Finished {dateTime(run.finishedAt)}</span> : null}
      </div>

      <div className="grid gap-3 sm:grid-cols-[1fr_auto] sm:items-center">
        <div className="space-y-2">
          <ProgressBar done={run.done} total={run.total} label="Generation progress" />
          {run.judge ? (
            <p className="text-xs text-slate-600">
              Judged {run.judged} of {Math.max(0, run.done - run.errors)} completed answers.
            </p>
          ) : null}
          {run.errors > 0 ? (
            <p className="text-xs text-red-700">{run.errors} generations failed (see the Errors filter below).</p>
          ) : null}
        </div>
        {active ? (
          <Button variant="danger" size="sm" onClick={() => cancel.mutate()} disabled={cancel.isPending}>
            {cancel.isPending ? "Cancelling…" : "Cancel run"}
          </Button>
        ) : null}
      </div>
      {run.error ? (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900">
          The run stopped: {run.error}
        </p>
      ) : null}
      {cancel.error ? <ErrorPanel error={errorBodyOf(cancel.error)} /> : null}
      {recovery ? (
        <div
          data-testid={`run-${recovery.kind}`}
          className={`flex flex-wrap items-center justify-between gap-3 rounded-md border px-3 py-2 text-sm ${
            recovery.kind === "resume"
              ? "border-orange-300 bg-orange-50 text-orange-950"
              : "border-amber-300 bg-amber-50 text-amber-950"
          }`}
        >
          <div>
            <p className="font-semibold">{recovery.headline}</p>
            <p className="text-xs">{recovery.detail}</p>
          </div>
          <Button size="sm" onClick={() => resume.mutate()} disabled={resume.isPending}>
            {resume.isPending ? recovery.busyLabel : recovery.label}
          </Button>
        </div>
      ) : null}
      {resume.error ? <ErrorPanel error={errorBodyOf(resume.error)} /> : null}

      <div className="flex flex-wrap items-center gap-x-6 gap-y-2 border-t border-slate-100 pt-3 text-sm">
        <div data-testid="mirror-status" className="flex flex-wrap items-center gap-2">
          <span className="font-medium">Weave mirror:</span>
          {run.mirror.status === "disabled" ? <span className="text-slate-500">not configured</span> : null}
          {run.mirror.status === "pending" ? (
            <span className="text-slate-600">
              pending{active ? " (mirrored when the run ends)" : " (not mirrored yet)"}
            </span>
          ) : null}
          {run.mirror.status === "mirrored" ? (
            <>
              <span className="text-emerald-800">mirrored</span>
              {run.mirror.url ? (
                <a
                  href={run.mirror.url}
                  target="_blank"
                  rel="noreferrer"
                  className="font-medium text-brand-700 underline"
                >
                  Open in Weave
                </a>
              ) : null}
            </>
          ) : null}
          {run.mirror.status === "failed" ? (
            <span className="text-red-800">failed{run.mirror.error ? `: ${run.mirror.error}` : ""}</span>
          ) : null}
          {canRetryMirror(run) ? (
            <Button size="sm" onClick={() => retry.mutate()} disabled={retry.isPending || active}>
              {retry.isPending ? "Retrying…" : "Retry"}
            </Button>
          ) : null}
        </div>
        <div className="flex items-center gap-3">
          <a href={`${exportBase}?format=csv`} download className="font-medium text-brand-700 underline">
            Export CSV
          </a>
          <a href={`${exportBase}?format=jsonl`} download className="font-medium text-brand-700 underline">
            Export JSONL
          </a>
        </div>
        {first && second ? (
          <Link
            href={`/admin/compare?${new URLSearchParams({ runA: run.id, modelA: first, runB: run.id, modelB: second })}`}
            className="font-medium text-brand-700 underline"
          >
            Compare models
          </Link>
        ) : null}
      </div>
      {/* 409 when a mirror of this run is already under way: the server's message says so. */}
      {retry.error ? <ErrorPanel error={errorBodyOf(retry.error)} /> : null}
    </section>
  );
}
