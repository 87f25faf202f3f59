import type { Calibration } from "@/eval/domain";
import type { Letter } from "@/lib/schemas/options";

/** One graded answer with the model's confidence in it. */
export type CalibrationPoint = {
  confidence: number;
  correct: boolean;
  /** Per offered letter, summing to 1; for the Brier score. Null: only the chosen letter's confidence is known. */
  probabilities: Partial<Record<Letter, number>> | null;
  reference: Letter;
  letter: Letter | null;
};

const BINS = 10;
const r4 = (v: number) => Math.round(v * 1e4) / 1e4;

/**
 * Whether a model's confidence can be trusted, over the answers that have one (null when none has).
 * - ECE: 10 equal-width bins [0, 0.1), …, [0.9, 1.0] (1.0 in the last); Σ (bin count / n) × |bin accuracy − bin mean
 *   confidence|, accuracy being exact match with the reference.
 * - Brier: the multi-class score, mean over answers of Σ over offered letters (p − 1 if reference else 0)², over the
 *   answers that carry per-option probabilities (`brierN` of them); an answer known only by its confidence is left
 *   out, since the other letters' probabilities are unknown.
 * - Selective accuracy: keep the most confident ⌈c·n⌉ answers (ties in confidence kept in item order) and report
 *   their accuracy for c = 50 %, 80 %, 100 %.
 * - AURC: area under the risk–coverage curve, the mean over k = 1…n of the error rate of the k most confident answers.
 *   Lower is better; a model whose confidence ranks its right answers first has the lowest possible for its accuracy.
 */
export function calibrate(points: CalibrationPoint[]): Calibration | null {
  const n = points.length;
  if (n === 0) return null;
  const bins = Array.from({ length: BINS }, () => ({ count: 0, confidence: 0, correct: 0 }));
  for (const p of points) {
    const b = bins[Math.min(BINS - 1, Math.floor(p.confidence * BINS))]!;
    b.count += 1;
    b.confidence += p.confidence;
    b.correct += p.correct ? 1 : 0;
  }
  let ece = 0;
  for (const b of bins) if (b.count) ece += (b.count / n) * Math.abs(b.correct / b.count - b.confidence / b.count);

  const withProbabilities = points.filter((p) => p.probabilities !== null);
  const brier = withProbabilities.length
    ? withProbabilities.reduce((sum, p) => {
        let s = 0;
        for (const [letter, prob] of Object.entries(p.probabilities!))
          s += (prob - (letter === p.reference ? 1 : 0)) ** 2;
        return sum + s;
      }, 0) / withProbabilities.length
    : null;

  const ranked = [...points].sort((a, b) => b.confidence - a.confidence);
  const accuracyOfTop = (k: number) => ranked.slice(0, k).filter((p) => p.correct).length / k;
  let risk = 0;
  let right = 0;
  ranked.forEach((p, i) => {
    right += p.correct ? 1 : 0;
    risk += 1 - right / (i + 1);
  });

  return {
    n,
    ece: r4(ece),
    brier: brier === null ? null : r4(brier),
    brierN: withProbabilities.length,
    bins: bins.flatMap((b, i) =>
      b.count
        ? [
            {
              lo: i / BINS,
              hi: (i + 1) / BINS,
              count: b.count,
              meanConfidence: r4(b.confidence / b.count),
              accuracy: r4(b.correct / b.count),
            },
          ]
        : [],
    ),
    selective: {
      at50: r4(accuracyOfTop(Math.ceil(0.5 * n))),
      at80: r4(accuracyOfTop(Math.ceil(0.8 * n))),
      at100: r4(accuracyOfTop(n)),
    },
    aurc: r4(risk / n),
  };
}
