"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { Distributions } from "@/eval/api/schemas";
import { DistributionsReader } from "./read-eval";
import { apiJson, errorBodyOf } from "./api";
import { modelColor } from "./format";
import { Histogram, type Bin } from "./lazy-charts";
import { ProblemPanel } from "./problem";
import { useRun } from "./use-run";

type Point = Distributions["points"][number];

const fetchPoints = async (runId: string): Promise<Point[]> =>
  (await apiJson(`/api/runs/${encodeURIComponent(runId)}/distributions`, DistributionsReader)).points;

function judgeBins(points: Point[], models: string[]): { bins: Bin[]; scored: number } {
  const bins: Bin[] = [0, 1, 2, 3, 4, 5].map((s) => ({
    label: String(s),
    ...Object.fromEntries(models.map((m) => [m, 0])),
  }));
  let scored = 0;
  for (const a of points) {
    if (a.judgeStatus !== "scored" || a.judgeScore === null) continue;
    const bin = bins[Math.max(0, Math.min(5, Math.round(a.judgeScore)))];
    if (bin && typeof bin[a.model] === "number") {
      bin[a.model] = (bin[a.model] as number) + 1;
      scored++;
    }
  }
  return { bins, scored };
}

/** A step of 1, 2 or 5 × 10^k giving about `target` buckets. */
function niceStep(span: number, target: number): number {
  const raw = Math.max(span / target, 1);
  const pow = 10 ** Math.floor(Math.log10(raw));
  const m = raw / pow;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * pow;
}

/** Bucket bounds in a unit fine enough that neighbouring buckets never share a label. */
function boundsLabel(lo: number, hi: number, step: number): string {
  if (step < 1000) return `${Math.round(lo)}–${Math.round(hi)} ms`;
  const digits = step % 1000 === 0 ? 0 : 1;
  return `${(lo / 1000).toFixed(digits)}–${(hi / 1000).toFixed(digits)} s`;
}

function latencyBins(points: Point[], models: string[]): Bin[] {
  const values = points
    .filter((a) => a.status === "ok" && a.latencyMs !== null)
    .map((a) => ({ m: a.model, v: a.latencyMs! }));
  if (values.length === 0) return [];
  const min = Math.min(...values.map((x) => x.v));
  const max = Math.max(...values.map((x) => x.v));
  const step = niceStep(max - min, 10);
  const start = Math.floor(min / step) * step;
  const count = Math.max(1, Math.floor((max - start) / step) + 1);
  const bins: Bin[] = Array.from({ length: count }, (_, i) => ({
    label: boundsLabel(start + i * step, start + (i + 1) * step, step),
    ...Object.fromEntries(models.map((m) => [m, 0])),
  }));
  for (const { m, v } of values) {
    const bin = bins[Math.min(count - 1, Math.floor((v - start) / step))];
    if (bin && typeof bin[m] === "number") bin[m] = (bin[m] as number) + 1;
  }
  return bins;
}

/** Completed generations with a latency, per model: what the latency chart is drawn from. */
function timedCounts(points: Point[], models: string[]): Map<string, number> {
  const counts = new Map(models.map((m) => [m, 0]));
  for (const p of points)
    if (p.status === "ok" && p.latencyMs !== null) counts.set(p.model, (counts.get(p.model) ?? 0) + 1);
  return counts;
}

/**
 * Judge-score histogram (0–5) and latency distribution per model, from every result of the run.
 *
 * While a run is going, the charts follow the same poll as the summary cards: the run's counters (done, errors,
 * judged, status) are the query key, so every poll that brings a new result refetches the points at once, and the
 * chart says how many answers it shows per model next to the summary's count. Until the refetch lands (a fraction of
 * a second) the chart says it is updating rather than show older figures as current.
 */
export function RunCharts({ runId }: { runId: string }) {
  const { data: run } = useRun(runId);
  const all = useQuery({
    queryKey: ["distributions", runId, run?.status, run?.done, run?.errors, run?.judged],
    queryFn: () => fetchPoints(runId),
    enabled: run !== undefined,
    placeholderData: keepPreviousData,
  });
  if (!run) return null;
  if (all.error) return <ProblemPanel error={errorBodyOf(all.error)} />;
  const points = all.data ?? [];
  const judge = judgeBins(points, run.models);
  const latency = latencyBins(points, run.models);
  const timed = timedCounts(points, run.models);
  const summaryCompleted = new Map((run.summary ?? []).map((s) => [s.model, s.completed]));
  const behind = all.isPlaceholderData || run.models.some((m) => (summaryCompleted.get(m) ?? 0) > (timed.get(m) ?? 0));

  return (
    <div className="grid items-start gap-4 lg:grid-cols-2">
      <figure className="min-w-0 rounded-lg border border-slate-200 bg-white p-4" data-testid="judge-histogram">
        <figcaption className="mb-2 text-sm font-semibold">Judge scores</figcaption>
        {run.judge === null ? (
          <p className="text-sm text-slate-600">
            No judge was used for this run, so there are no judge scores to chart.
          </p>
        ) : judge.scored === 0 ? (
          <p className="text-sm text-slate-600">No judge scores yet.</p>
        ) : (
          <Histogram
            data={judge.bins}
            models={run.models}
            xLabel="score (0–5)"
            title="Histogram of judge scores per model"
          />
        )}
      </figure>
      <figure
        className="min-w-0 rounded-lg border border-slate-200 bg-white p-4"
        data-testid="latency-histogram"
        aria-busy={behind}
      >
        <figcaption className="mb-2 text-sm font-semibold">
          Latency distribution
          {behind && latency.length > 0 ? (
            <span className="ml-2 text-xs font-normal text-slate-500" data-testid="latency-updating">
              updating…
            </span>
          ) : null}
        </figcaption>
        {latency.length === 0 ? (
          <p className="text-sm text-slate-600">{all.isPending ? "Loading…" : "No completed generations yet."}</p>
        ) : (
          <Histogram
            data={latency}
            models={run.models}
            xLabel="latency"
            title="Histogram of generation latency per model"
          />
        )}
        <p className="mt-1 text-xs text-slate-600" data-testid="latency-counts">
          Answers charted:{" "}
          {run.models.map((m, i) => (
            <span key={m} className="mr-3 inline-block" data-model={m}>
              <span
                aria-hidden
                className="mr-1 inline-block h-2 w-2 rounded-full"
                style={{ background: modelColor(i) }}
              />
              <span className="font-mono break-all">{m}</span> <span className="tabular-nums">{timed.get(m) ?? 0}</span>
            </span>
          ))}
        </p>
      </figure>
    </div>
  );
}
