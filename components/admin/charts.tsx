"use client";

// Every recharts import of the app is in this file, and this file is only ever loaded through lazy-charts.tsx
// (next/dynamic): recharts goes into a chunk of its own that only the pages drawing charts fetch.

import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ReferenceLine,
  ResponsiveContainer,
  Scatter,
  ScatterChart,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { confidenceBins, coverageLine, selectivePoints, type CalibrationSeries } from "./calibration";
import { modelColor } from "./format";

export type Bin = Record<string, string | number>;

const pctTick = (v: number) => `${Math.round(v * 100)}%`;
const UNIT_TICKS = [0, 0.2, 0.4, 0.6, 0.8, 1];
const tick = { fontSize: 11 };

/** Counts per bucket, one bar per model. */
export function Histogram({
  data,
  models,
  xLabel,
  title,
}: {
  data: Bin[];
  models: string[];
  xLabel: string;
  title: string;
}) {
  return (
    <div className="h-64 w-full" role="img" aria-label={title}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 20, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis
            dataKey="label"
            tick={tick}
            label={{ value: xLabel, position: "insideBottom", offset: -12, fontSize: 12 }}
          />
          <YAxis allowDecimals={false} tick={tick} width={36} />
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

/** Accuracy against mean confidence per bin, one line per series, with the diagonal of perfect calibration. */
export function ReliabilityChart({
  series,
  title,
  word = "confidence",
}: {
  series: CalibrationSeries[];
  title: string;
  word?: string;
}) {
  return (
    <div className="h-72 w-full" role="img" aria-label={title}>
      <ResponsiveContainer width="100%" height="100%">
        <ScatterChart margin={{ top: 8, right: 12, bottom: 24, left: 4 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            type="number"
            dataKey="confidence"
            name="Mean confidence"
            domain={[0, 1]}
            ticks={UNIT_TICKS}
            tickFormatter={pctTick}
            tick={tick}
            label={{ value: word, position: "insideBottom", offset: -14, fontSize: 12 }}
          />
          <YAxis
            type="number"
            dataKey="accuracy"
            name="Accuracy"
            domain={[0, 1]}
            ticks={UNIT_TICKS}
            tickFormatter={pctTick}
            tick={tick}
            width={40}
          />
          <ReferenceLine
            segment={[
              { x: 0, y: 0 },
              { x: 1, y: 1 },
            ]}
            stroke="#64748b"
            strokeDasharray="5 4"
            ifOverflow="hidden"
          />
          <Tooltip formatter={(v) => (typeof v === "number" ? pctTick(v) : String(v))} />
          <Legend verticalAlign="top" height={28} wrapperStyle={{ fontSize: 12 }} />
          {series.map((s) =>
            s.calibration ? (
              <Scatter
                key={s.key}
                name={s.label}
                data={confidenceBins(s.calibration)
                  .filter((b) => b.count > 0)
                  .map((b) => ({ confidence: b.meanConfidence, accuracy: b.accuracy, answers: b.count }))}
                fill={s.color}
                stroke={s.color}
                line
                isAnimationActive={false}
              />
            ) : null,
          )}
        </ScatterChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Right and wrong answers per confidence bin. */
export function ConfidenceHistogram({
  series,
  title,
  word = "confidence",
}: {
  series: CalibrationSeries;
  title: string;
  word?: string;
}) {
  const data = series.calibration ? confidenceBins(series.calibration) : [];
  return (
    <div className="h-56 w-full" role="img" aria-label={title}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 20, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis
            dataKey="label"
            tick={{ fontSize: 10 }}
            label={{ value: word, position: "insideBottom", offset: -12, fontSize: 12 }}
          />
          <YAxis allowDecimals={false} tick={tick} width={32} />
          <Tooltip />
          <Legend verticalAlign="top" height={24} wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="right" name="Right" fill="#059669" isAnimationActive={false} />
          <Bar dataKey="wrong" name="Wrong" fill="#dc2626" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Accuracy of the most confident answers against the share kept, with the server's 50/80/100 % points. */
export function CoverageChart({
  series,
  title,
  word = "confidence",
}: {
  series: CalibrationSeries[];
  title: string;
  word?: string;
}) {
  return (
    <div className="h-72 w-full" role="img" aria-label={title}>
      <ResponsiveContainer width="100%" height="100%">
        <ScatterChart margin={{ top: 8, right: 12, bottom: 24, left: 4 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            type="number"
            dataKey="coverage"
            name="Answers kept"
            domain={[0, 1]}
            ticks={UNIT_TICKS}
            tickFormatter={pctTick}
            tick={tick}
            label={{
              value: `answers kept (highest ${word} first)`,
              position: "insideBottom",
              offset: -14,
              fontSize: 12,
            }}
          />
          <YAxis
            type="number"
            dataKey="accuracy"
            name="Accuracy"
            domain={[0, 1]}
            ticks={UNIT_TICKS}
            tickFormatter={pctTick}
            tick={tick}
            width={40}
          />
          <Tooltip formatter={(v) => (typeof v === "number" ? pctTick(v) : String(v))} />
          <Legend verticalAlign="top" height={28} wrapperStyle={{ fontSize: 12 }} />
          {series.flatMap((s) =>
            s.calibration
              ? [
                  <Scatter
                    key={s.key}
                    name={s.label}
                    data={coverageLine(s.calibration)}
                    fill={s.color}
                    stroke={s.color}
                    line
                    isAnimationActive={false}
                  />,
                  <Scatter
                    key={`${s.key}-selective`}
                    name={`${s.label}: 50/80/100 %`}
                    data={selectivePoints(s.calibration)}
                    fill="#ffffff"
                    stroke={s.color}
                    shape="diamond"
                    legendType="none"
                    isAnimationActive={false}
                  />,
                ]
              : [],
          )}
        </ScatterChart>
      </ResponsiveContainer>
    </div>
  );
}
