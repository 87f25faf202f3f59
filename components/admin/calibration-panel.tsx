"use client";

import type { ReactNode } from "react";
import { DataTable } from "@/components/ui/data-table";
import { confidenceBins, coverageCurve, type CalibrationSeries } from "./calibration";
import { Explain, MEANINGS } from "./explain";
import { num, pct } from "./format";
import { ConfidenceHistogram, CoverageChart, ReliabilityChart } from "./lazy-charts";

const dec = (v: number | null | undefined) => num(v, 3);

/** A chart in a card, with its caption, a line on how to read it, and its numbers in a disclosure. */
function Figure({
  title,
  reading,
  testId,
  chart,
  numbers,
}: {
  title: ReactNode;
  reading: ReactNode;
  testId: string;
  chart: ReactNode;
  numbers: ReactNode;
}) {
  return (
    <figure className="min-w-0 space-y-2 rounded-lg border border-slate-200 bg-white p-4" data-testid={testId}>
      <figcaption>
        <span className="block text-sm font-semibold">{title}</span>
        <span className="block text-xs text-slate-600">{reading}</span>
      </figcaption>
      {chart}
      <details className="text-xs">
        <summary className="cursor-pointer text-slate-600 underline decoration-slate-400 underline-offset-2">
          Numbers behind this chart
        </summary>
        <div className="relative mt-2 max-w-full overflow-x-auto">{numbers}</div>
      </details>
    </figure>
  );
}

function SmallTable({ head, rows, label }: { head: string[]; rows: ReactNode[][]; label: string }) {
  return (
    <table className="w-full text-left text-xs tabular-nums" aria-label={label}>
      <thead className="text-slate-500">
        <tr>
          {head.map((h) => (
            <th key={h} scope="col" className="py-1 pr-3 font-medium">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map((r, i) => (
          <tr key={i}>
            {r.map((c, j) => (
              <td key={j} className="py-1 pr-3">
                {c}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Swatch({ color }: { color: string }) {
  return <span aria-hidden className="mr-1.5 inline-block h-2.5 w-2.5 rounded-full" style={{ background: color }} />;
}

/** ECE, Brier, AURC and selective accuracy per series, each headed by its meaning in plain words. */
export function CalibrationFigures({ series, subject }: { series: CalibrationSeries[]; subject: string }) {
  return (
    <DataTable
      testId="calibration-figures"
      caption={`Calibration figures of the ${subject}`}
      minWidth="min-w-[640px]"
      columns={[
        { label: "Model" },
        { label: "Answers with a confidence", className: "text-right" },
        { label: <Explain term="ECE" meaning={MEANINGS.ece} />, className: "text-right" },
        { label: <Explain term="Brier" meaning={MEANINGS.brier} />, className: "text-right" },
        { label: <Explain term="AURC" meaning={MEANINGS.aurc} />, className: "text-right" },
        {
          label: (
            <Explain term="accuracy of the most confident answers" meaning={MEANINGS.selective}>
              Accuracy, most confident 50 % / 80 % / all
            </Explain>
          ),
          className: "text-right",
        },
      ]}
    >
      {series.map((s) => {
        const c = s.calibration;
        return (
          <tr key={s.key} data-testid="calibration-row" data-series={s.key} className="align-top">
            <th scope="row" className="px-3 py-2 text-left font-mono text-xs font-semibold whitespace-nowrap">
              <Swatch color={s.color} />
              {s.label}
            </th>
            {c ? (
              <>
                <td className="px-3 py-2 text-right tabular-nums">{c.n}</td>
                <td className="px-3 py-2 text-right tabular-nums" data-testid="ece">
                  {dec(c.ece)}
                </td>
                <td className="px-3 py-2 text-right tabular-nums" data-testid="brier">
                  {c.brier === null ? "—" : dec(c.brier)}
                  {c.brier !== null && c.brierN < c.n ? (
                    <span className="block text-xs text-slate-500">over {c.brierN}</span>
                  ) : null}
                </td>
                <td className="px-3 py-2 text-right tabular-nums" data-testid="aurc">
                  {dec(c.aurc)}
                </td>
                <td className="px-3 py-2 text-right whitespace-nowrap tabular-nums" data-testid="selective">
                  {pct(c.selective.at50)} / {pct(c.selective.at80)} / {pct(c.selective.at100)}
                </td>
              </>
            ) : (
              <td colSpan={5} className="px-3 py-2 text-slate-600">
                No confidence recorded: the model server gave no probabilities for these answers.
              </td>
            )}
          </tr>
        );
      })}
    </DataTable>
  );
}

/**
 * The calibration of one or more series (models of a run, or the two sides of a comparison): the figures, a
 * reliability diagram, the coverage–accuracy curve, and per series a histogram of the confidence of its right and
 * wrong answers. All drawn from the server's calibration summary (see calibration.ts for why that is enough).
 */
export function CalibrationPanel({
  series,
  subject,
  confidenceWord = "confidence",
  testId = "calibration",
}: {
  series: CalibrationSeries[];
  /** what the series are, for captions: "models of this run" */
  subject: string;
  /** "confidence", or "agreement" for self-consistency */
  confidenceWord?: string;
  testId?: string;
}) {
  const drawn = series.filter((s) => s.calibration !== null);
  return (
    <div className="space-y-4" data-testid={testId}>
      <CalibrationFigures series={series} subject={subject} />
      {drawn.length === 0 ? (
        <p className="text-sm text-slate-600" data-testid="no-calibration">
          No answer of this run has a {confidenceWord}, so there is nothing to chart. Confidence comes from the model
          server&apos;s token probabilities; a server that gives none still answers, without a confidence.
        </p>
      ) : (
        <>
          <div className="grid gap-4 lg:grid-cols-2">
            <Figure
              testId="reliability-diagram"
              title="Reliability diagram"
              reading={`Accuracy of the answers in each ${confidenceWord} band, against their mean ${confidenceWord}. On the dashed diagonal the ${confidenceWord} is exactly right; below it the model is over-confident, above it under-confident.`}
              chart={
                <ReliabilityChart
                  series={drawn}
                  title={`Reliability diagram of the ${subject}`}
                  word={confidenceWord}
                />
              }
              numbers={
                <SmallTable
                  label="Reliability diagram data"
                  head={["Series", "Band", "Answers", `Mean ${confidenceWord}`, "Accuracy"]}
                  rows={drawn.flatMap((s) =>
                    confidenceBins(s.calibration!)
                      .filter((b) => b.count > 0)
                      .map((b) => [s.label, b.label, b.count, pct(b.meanConfidence), pct(b.accuracy)]),
                  )}
                />
              }
            />
            <Figure
              testId="coverage-curve"
              title="Accuracy against coverage"
              reading={`Keep only the answers with the highest ${confidenceWord} and see how accurate they are. A curve that falls from left to right means the ${confidenceWord} separates right from wrong answers. Diamonds: the exact accuracy at 50 %, 80 % and 100 %.`}
              chart={
                <CoverageChart
                  series={drawn}
                  title={`Accuracy against coverage of the ${subject}`}
                  word={confidenceWord}
                />
              }
              numbers={
                <SmallTable
                  label="Coverage curve data"
                  head={["Series", `Lowest ${confidenceWord} kept`, "Answers kept", "Accuracy"]}
                  rows={drawn.flatMap((s) =>
                    coverageCurve(s.calibration!).map((p) => [
                      s.label,
                      `≥ ${p.minConfidence.toFixed(1)}`,
                      pct(p.coverage),
                      pct(p.accuracy),
                    ]),
                  )}
                />
              }
            />
          </div>
          <div className="grid gap-4 md:grid-cols-2">
            {drawn.map((s) => (
              <Figure
                key={s.key}
                testId="confidence-histogram"
                title={
                  <>
                    <Swatch color={s.color} />
                    <span className="font-mono break-all">{s.label}</span>: {confidenceWord} of right and wrong answers
                  </>
                }
                reading={`How many right and wrong answers fall in each ${confidenceWord} band. Useful ${confidenceWord} puts the wrong answers to the left.`}
                chart={
                  <ConfidenceHistogram
                    series={s}
                    title={`Histogram of the ${confidenceWord} of right and wrong answers of ${s.label}`}
                    word={confidenceWord}
                  />
                }
                numbers={
                  <SmallTable
                    label={`Histogram data of ${s.label}`}
                    head={["Band", "Right", "Wrong"]}
                    rows={confidenceBins(s.calibration!).map((b) => [b.label, b.right, b.wrong])}
                  />
                }
              />
            ))}
          </div>
        </>
      )}
    </div>
  );
}
