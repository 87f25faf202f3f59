"use client";

import type { RunView } from "@/eval/api/schemas";
import { EditLabelButton } from "./label-dialog";
import { useRun } from "./use-run";

/** The run's name as the page heading (its id when it has none, the id kept small below), its notes, and Edit. */
export function RunHeader({ runId }: { runId: string }) {
  const { data: run } = useRun(runId);
  return (
    <div className="space-y-1">
      <div className="flex flex-wrap items-start justify-between gap-x-4 gap-y-1">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold break-words" data-testid="run-title">
            {run?.name ? (
              run.name
            ) : (
              <>
                Run <span className="font-mono text-xl break-all">{runId}</span>
              </>
            )}
          </h1>
          {run?.name ? (
            <p className="text-xs text-slate-500">
              Run id <span className="font-mono break-all">{run.id}</span>
            </p>
          ) : null}
        </div>
        {run ? <EditLabelButton run={run} className="-ml-3 sm:ml-0" /> : null}
      </div>
      {run?.notes ? (
        <p className="max-w-prose text-sm whitespace-pre-wrap text-slate-700" data-testid="run-notes">
          {run.notes}
        </p>
      ) : null}
    </div>
  );
}

/**
 * Problems a finished status does not show (a judge that failed on most answers, say), as an amber banner: the run
 * may say "completed" but some of its figures must not be trusted.
 */
export function RunWarnings({ run }: { run: Pick<RunView, "warnings"> }) {
  if (run.warnings.length === 0) return null;
  return (
    <section
      role="alert"
      aria-label="Warnings about this run"
      data-testid="run-warnings"
      className="rounded-lg border border-amber-400 bg-amber-50 px-4 py-3 text-sm text-amber-950"
    >
      <p className="font-semibold">
        <span aria-hidden>⚠ </span>
        {run.warnings.length === 1 ? "This run has a problem" : `This run has ${run.warnings.length} problems`}
      </p>
      <ul className="mt-1 list-disc space-y-1 pl-5">
        {run.warnings.map((w) => (
          <li key={w}>{w}</li>
        ))}
      </ul>
    </section>
  );
}
