"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import type { RunView } from "@/eval/api/schemas";
import { RunViewReader } from "./read-eval";
import { apiPost, errorBodyOf, isActiveStatus } from "./api";
import { compareHref, dateTime, runLabel } from "./format";
import { ProblemPanel } from "./problem";
import { ProgressBar } from "./progress-bar";
import { canRetryMirror, mirrorUrl, recoveryAction, resumeUrl } from "./run-actions";
import { RunWarnings } from "./run-header";
import { StatusBadge } from "./status-badge";
import { runQueryKey, useRun } from "./use-run";

/**
 * What the judge made of the completed answers: scored, unreadable and failed counted apart, so that a judge that
 * "judged" every answer without one readable verdict does not read as done.
 */
function JudgeLine({ run }: { run: RunView }) {
  const completed = Math.max(0, run.done - run.errors);
  if (!run.summary)
    return (
      <p className="text-xs text-slate-600">
        Judge attempted {run.judged} of {completed} completed answers.
      </p>
    );
  const sum = (f: (s: NonNullable<RunView["summary"]>[number]) => number) => run.summary!.reduce((n, s) => n + f(s), 0);
  const [scored, unreadable, failed] = [
    sum((s) => s.judged),
    sum((s) => s.unparseableVerdicts),
    sum((s) => s.judgeErrors),
  ];
  return (
    <p
      className={`text-xs ${unreadable + failed > scored ? "text-amber-800" : "text-slate-600"}`}
      data-testid="judge-line"
    >
      Judge verdicts on {completed} completed answers: {scored} scored
      {unreadable ? `, ${unreadable} unreadable` : ""}
      {failed ? `, ${failed} failed` : ""}
      {scored + unreadable + failed < completed ? `, ${completed - scored - unreadable - failed} to go` : ""}.
    </p>
  );
}

/**
 * Status, warnings, live progress, cancel (after a confirmation), resume, Weave mirror, exports and the compare link
 * of one run.
 */
export function RunStatusPanel({ runId }: { runId: string }) {
  const client = useQueryClient();
  const [confirmCancel, setConfirmCancel] = useState(false);
  const { data: run, error, isPending } = useRun(runId);
  const onRun = (next: RunView) => {
    // Keep the summary we already have; the next poll or invalidation refreshes it.
    client.setQueryData<RunView>(runQueryKey(runId), (prev) => ({ ...next, summary: next.summary ?? prev?.summary }));
    void client.invalidateQueries({ queryKey: runQueryKey(runId) });
    void client.invalidateQueries({ queryKey: ["runs"] });
  };
  const cancel = useMutation({
    mutationFn: () => apiPost(`/api/runs/${encodeURIComponent(runId)}/cancel`, RunViewReader),
    onSuccess: onRun,
    onSettled: () => setConfirmCancel(false),
  });
  const retry = useMutation({ mutationFn: () => apiPost(mirrorUrl(runId), RunViewReader), onSuccess: onRun });
  // 202 with the run, queued again: the poll of an active run takes over from there.
  const resume = useMutation({ mutationFn: () => apiPost(resumeUrl(runId), RunViewReader), onSuccess: onRun });

  if (error) return <ProblemPanel error={errorBodyOf(error)} />;
  if (isPending) return <p className="text-sm text-slate-500">Loading run…</p>;

  const active = isActiveStatus(run.status);
  const recovery = recoveryAction(run);
  const exportBase = `/api/runs/${encodeURIComponent(run.id)}/export`;
  const [first, second] = run.models;

  return (
    <>
      <RunWarnings run={run} />
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
            {run.judge ? <JudgeLine run={run} /> : null}
            {run.errors > 0 ? (
              <p className="text-xs text-red-700">{run.errors} generations failed (see the Errors filter below).</p>
            ) : null}
          </div>
          {active ? (
            <Button
              variant="danger"
              size="sm"
              onClick={() => setConfirmCancel(true)}
              disabled={cancel.isPending}
              aria-haspopup="dialog"
            >
              {cancel.isPending ? "Cancelling…" : "Cancel run"}
            </Button>
          ) : null}
          <ConfirmDialog
            open={confirmCancel && active}
            title="Cancel this run?"
            confirmLabel={cancel.isPending ? "Cancelling…" : "Cancel run"}
            keepLabel="Keep running"
            busy={cancel.isPending}
            onConfirm={() => cancel.mutate()}
            onKeep={() => setConfirmCancel(false)}
            testId="cancel-dialog"
          >
            <p>
              “{runLabel(run)}” stops now; answers being generated at this moment are dropped. The {run.done} of{" "}
              {run.total} answers it has are kept, and you can resume it later from this page.
            </p>
          </ConfirmDialog>
        </div>
        {run.error ? (
          <p role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900">
            The run stopped: {run.error}
          </p>
        ) : null}
        {cancel.error ? <ProblemPanel error={errorBodyOf(cancel.error)} /> : null}
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
        {resume.error ? <ProblemPanel error={errorBodyOf(resume.error)} /> : null}

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
          <div className="flex flex-wrap items-center gap-3" data-testid="exports">
            <span className="font-medium">Download every answer:</span>
            <a
              href={`${exportBase}?format=csv`}
              download
              className="rounded-md border border-slate-300 px-2.5 py-1 font-medium text-brand-700 hover:bg-brand-50"
            >
              Export CSV
            </a>
            <a
              href={`${exportBase}?format=jsonl`}
              download
              className="rounded-md border border-slate-300 px-2.5 py-1 font-medium text-brand-700 hover:bg-brand-50"
            >
              Export JSONL
            </a>
            <span className="text-xs text-slate-600">with confidence, per-option probabilities and votes</span>
          </div>
          {first && second ? (
            <Link
              href={compareHref({ runA: run.id, modelA: first, runB: run.id, modelB: second })}
              className="font-medium text-brand-700 underline"
            >
              Compare models
            </Link>
          ) : null}
        </div>
        {/* 409 when a mirror of this run is already under way: the server's message says so. */}
        {retry.error ? <ProblemPanel error={errorBodyOf(retry.error)} /> : null}
      </section>
    </>
  );
}
