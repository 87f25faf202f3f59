"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ErrorPanel } from "@/components/ui/error-panel";
import { DistributionsSchema, type Distributions } from "@/eval/api/schemas";
import { apiJson, errorBodyOf } from "./api";
import { modelColor } from "./format";
import { useRun } from "./use-run";

type Point = Distributions["points"][number];

const fetchPoints = async (runId: string): Promise<Point[]> =>
  (await apiJson(`/api/runs/${encodeURIComponent(runId)}/distributions`, DistributionsSchema)).points;

type Bin = Record<string, string | number>;

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

function Histogram({ data, models, xLabel, title }: { data: Bin[]; models: string[]; xLabel: string; title: string }) {
  return (
    <div className="h-64 w-full" role="img" aria-label={title}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 20, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis
            dataKey="label"
            tick={{ fontSize: 11 }}
            label={{ value: xLabel, position: "insideBottom", offset: -12, fontSize: 12 }}
          />
          <YAxis allowDecimals={false} tick={{ fontSize: 11 }} width={36} />
          <Tooltip />
          <Legend verticalAlign="top" height={24} wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
          {models.map((m, i) => (
            <Bar key={m} dataKey={m} fill={modelColor(i)} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Judge-score histogram (0–5) and latency distribution per model, from every result of the run. */
export function RunCharts({ runId }: { runId: string }) {
  const { data: run } = useRun(runId);
  // Refetch on status changes and about every tenth of the progress, not on every poll.
  const step = run ? Math.max(1, Math.ceil(run.total / 10)) : 1;
  const bucket = run ? Math.floor(run.done / step) : 0;
  const all = useQuery({
    queryKey: ["distributions", runId, run?.status, bucket, run?.judged],
    queryFn: () => fetchPoints(runId),
    enabled: run !== undefined,
    placeholderData: keepPreviousData,
  });
  if (!run) return null;
  if (all.error) return <ErrorPanel error={errorBodyOf(all.error)} />;
  const points = all.data ?? [];
  const judge = judgeBins(points, run.models);
  const latency = latencyBins(points, run.models);

  return (
    <div className="grid items-start gap-4 lg:grid-cols-2">
      <figure className="rounded-lg border border-slate-200 bg-white p-4" data-testid="judge-histogram">
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
      <figure className="rounded-lg border border-slate-200 bg-white p-4" data-testid="latency-histogram">
        <figcaption className="mb-2 text-sm font-semibold">Latency distribution</figcaption>
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
      </figure>
    </div>
  );
}
