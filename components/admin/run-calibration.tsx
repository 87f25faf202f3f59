"use client";

import { CalibrationPanel } from "./calibration-panel";
import type { CalibrationSeries } from "./calibration";
import { modelColor, pct } from "./format";
import { useRun } from "./use-run";

/** Calibration of each model of the run: of its (first sample's) confidence. */
export function RunCalibration({ runId }: { runId: string }) {
  const { data: run } = useRun(runId);
  if (!run?.summary) return null;
  const series: CalibrationSeries[] = run.summary.map((s, i) => ({
    key: s.model,
    label: s.model,
    color: modelColor(i),
    calibration: s.calibration,
  }));
  return <CalibrationPanel series={series} subject="models of this run" />;
}

/**
 * Self-consistency: first-sample accuracy against the vote's, and how well the agreement between samples works as a
 * confidence. Only for runs with more than one sample per question.
 */
export function RunSelfConsistency({ runId }: { runId: string }) {
  const { data: run } = useRun(runId);
  if (!run?.summary || run.settings.samples <= 1) return null;
  const series: CalibrationSeries[] = run.summary.map((s, i) => ({
    key: s.model,
    label: s.model,
    color: modelColor(i),
    calibration: s.vote?.calibration ?? null,
  }));
  return (
    <section aria-labelledby="self-consistency-heading" className="min-w-0 space-y-4" data-testid="self-consistency">
      <div>
        <h2 id="self-consistency-heading" className="text-lg font-semibold">
          Self-consistency
        </h2>
        <p className="max-w-prose text-sm text-slate-600">
          Each model answered every question {run.settings.samples} times at temperature {run.settings.temperature}; its
          vote is the letter most of the samples chose. Agreement (the share of samples that chose the vote) is used as
          the vote&apos;s confidence below.
        </p>
      </div>
      <ul className="grid gap-2 sm:grid-cols-2" aria-label="First sample against the vote">
        {run.summary.map((s) => (
          <li
            key={s.model}
            className="rounded-md border border-slate-200 bg-white px-3 py-2 text-sm"
            data-testid="vote-row"
            data-model={s.model}
          >
            <span className="font-mono text-xs font-semibold break-all">{s.model}</span>
            <span className="block tabular-nums">
              first sample {pct(s.accuracy)} → vote {pct(s.vote?.accuracy)}
            </span>
          </li>
        ))}
      </ul>
      <CalibrationPanel
        series={series}
        subject="votes of this run"
        confidenceWord="agreement"
        testId="agreement-calibration"
      />
    </section>
  );
}
