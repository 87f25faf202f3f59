"use client";

// Every recharts import of the app is in this file, and this file is only ever loaded through lazy-charts.tsx
// (next/dynamic): recharts goes into a chunk of its own that only the pages drawing charts fetch.

import type { ReactElement } from "react";
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
const axisLabel = (value: string, offset: number) => ({
  value,
  position: "insideBottom" as const,
  offset,
  fontSize: 12,
});
/** The props of an axis that runs from 0 to 1 and is labelled in percent. */
const unitAxis = {
  type: "number" as const,
  domain: [0, 1],
  ticks: UNIT_TICKS,
  tickFormatter: pctTick,
  tick,
};

/** The sized box with the chart's accessible name that every chart is drawn in. */
function ChartBox({ height, title, children }: { height: string; title: string; children: ReactElement }) {
  return (
    <div className={`${height} w-full`} role="img" aria-label={title}>
      <ResponsiveContainer width="100%" height="100%">
        {children}
      </ResponsiveContainer>
    </div>
  );
}

// Recharts reads its axes, tooltips and legends from the chart's direct children, so the shared ones are plain
// functions returning elements, not components.
const barGrid = () => <CartesianGrid strokeDasharray="3 3" vertical={false} />;
const barXAxis = (label: string, fontSize: number) => (
  <XAxis dataKey="label" tick={{ fontSize }} label={axisLabel(label, -12)} />
);
const countYAxis = (width: number) => <YAxis allowDecimals={false} tick={tick} width={width} />;
const accuracyYAxis = () => <YAxis {...unitAxis} dataKey="accuracy" name="Accuracy" width={40} />;
const pctTooltip = () => <Tooltip formatter={(v) => (typeof v === "number" ? pctTick(v) : String(v))} />;
const scatterLegend = () => <Legend verticalAlign="top" height={28} wrapperStyle={{ fontSize: 12 }} />;
type CalibrationChartProps = { series: CalibrationSeries[]; title: string; word?: string };
const barMargin = { top: 8, right: 8, bottom: 20, left: 0 };
const scatterMargin = { top: 8, right: 12, bottom: 24, left: 4 };

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
    <ChartBox height="h-64" title={title}>
      <BarChart data={data} margin={barMargin}>
        {barGrid()}
        {barXAxis(xLabel, tick.fontSize)}
        {countYAxis(36)}
        <Tooltip />
        <Legend verticalAlign="top" height={24} wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
        {models.map((m, i) => (
          <Bar key={m} dataKey={m} fill={modelColor(i)} isAnimationActive={false} />
        ))}
      </BarChart>
    </ChartBox>
  );
}

/** Accuracy against mean confidence per bin, one line per series, with the diagonal of perfect calibration. */
export function ReliabilityChart({ series, title, word = "confidence" }: CalibrationChartProps) {
  return (
    <ChartBox height="h-72" title={title}>
      <ScatterChart margin={scatterMargin}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis {...unitAxis} dataKey="confidence" name="Mean confidence" label={axisLabel(word, -14)} />
        {accuracyYAxis()}
        <ReferenceLine
          segment={[
            { x: 0, y: 0 },
            { x: 1, y: 1 },
          ]}
          stroke="#64748b"
          strokeDasharray="5 4"
          ifOverflow="hidden"
        />
        {pctTooltip()}
        {scatterLegend()}
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
    </ChartBox>
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
    <ChartBox height="h-56" title={title}>
      <BarChart data={data} margin={barMargin}>
        {barGrid()}
        {barXAxis(word, 10)}
        {countYAxis(32)}
        <Tooltip />
        <Legend verticalAlign="top" height={24} wrapperStyle={{ fontSize: 12 }} />
        <Bar dataKey="right" name="Right" fill="#059669" isAnimationActive={false} />
        <Bar dataKey="wrong" name="Wrong" fill="#dc2626" isAnimationActive={false} />
      </BarChart>
    </ChartBox>
  );
}

/** Accuracy of the most confident answers against the share kept, with the server's 50/80/100 % points. */
export function CoverageChart({ series, title, word = "confidence" }: CalibrationChartProps) {
  return (
    <ChartBox height="h-72" title={title}>
      <ScatterChart margin={scatterMargin}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis
          {...unitAxis}
          dataKey="coverage"
          name="Answers kept"
          label={axisLabel(`answers kept (highest ${word} first)`, -14)}
        />
        {accuracyYAxis()}
        {pctTooltip()}
        {scatterLegend()}
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
    </ChartBox>
  );
}
