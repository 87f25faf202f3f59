import type { Calibration } from "@/eval/domain";

/**
 * What the calibration charts draw, derived from the server's calibration summary alone.
 *
 * Decision: the charts use the summary's 10 confidence bins (and its selective-accuracy points), not every answer's
 * confidence. Each bin carries its count and its accuracy, so its right and wrong counts are exact
 * (right = count × accuracy, rounded: accuracy is stored to 4 decimals and bins hold far fewer than 5 000 answers
 * for that to matter). The coverage–accuracy curve is exact at every bin boundary too: the most confident answers
 * down to a boundary are exactly the answers of the bins above it. So the run page draws everything without fetching
 * the run's results page by page, and the charts always agree with the ECE, Brier and AURC shown beside them.
 * What this gives up: the shape of the curve inside a bin (between two boundaries the line is drawn straight).
 */

export const BIN_COUNT = 10;

export type ConfidenceBin = {
  lo: number;
  hi: number;
  /** "0.7–0.8" */
  label: string;
  count: number;
  right: number;
  wrong: number;
  meanConfidence: number | null;
  accuracy: number | null;
};

const label = (lo: number, hi: number) => `${lo.toFixed(1)}–${hi.toFixed(1)}`;

/** All ten bins in order, empty ones included, with right and wrong counts. */
export function confidenceBins(c: Calibration): ConfidenceBin[] {
  return Array.from({ length: BIN_COUNT }, (_, i) => {
    const lo = i / BIN_COUNT;
    const hi = (i + 1) / BIN_COUNT;
    const b = c.bins.find((x) => Math.abs(x.lo - lo) < 1e-9);
    const count = b?.count ?? 0;
    const right = b ? Math.round(b.count * b.accuracy) : 0;
    return {
      lo,
      hi,
      label: label(lo, hi),
      count,
      right,
      wrong: count - right,
      meanConfidence: b ? b.meanConfidence : null,
      accuracy: b ? b.accuracy : null,
    };
  });
}

export type CoveragePoint = { coverage: number; accuracy: number; minConfidence: number };

/**
 * Accuracy against coverage: keeping the answers from the most confident bin down to each bin's lower bound.
 * Exact at each point (see above). Ends at coverage 1 with the overall accuracy.
 */
export function coverageCurve(c: Calibration): CoveragePoint[] {
  const bins = confidenceBins(c).filter((b) => b.count > 0);
  const out: CoveragePoint[] = [];
  let kept = 0;
  let right = 0;
  for (const b of [...bins].reverse()) {
    kept += b.count;
    right += b.right;
    out.push({ coverage: kept / c.n, accuracy: right / kept, minConfidence: b.lo });
  }
  return out;
}

/**
 * The curve to draw: the bin-boundary points and the server's exact selective accuracies (50, 80, 100 %) together,
 * by coverage. Both are exact points of the same curve, so the line passes through the diamonds.
 */
export function coverageLine(c: Calibration): { coverage: number; accuracy: number }[] {
  const points = [...coverageCurve(c), ...selectivePoints(c)].sort((x, y) => x.coverage - y.coverage);
  return points
    .filter((p, i) => i === 0 || Math.abs(p.coverage - points[i - 1]!.coverage) > 1e-9)
    .map(({ coverage, accuracy }) => ({ coverage, accuracy }));
}

/** The server's exact selective accuracies, as points on the coverage axis. */
export const selectivePoints = (c: Calibration) => [
  { coverage: 0.5, accuracy: c.selective.at50 },
  { coverage: 0.8, accuracy: c.selective.at80 },
  { coverage: 1, accuracy: c.selective.at100 },
];

/** A series of the charts: one model of one run (or one side of a comparison). */
export type CalibrationSeries = { key: string; label: string; color: string; calibration: Calibration | null };
