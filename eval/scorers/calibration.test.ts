import { describe, expect, it } from "vitest";
import { calibrate, type CalibrationPoint } from "./calibration";

const pt = (
  confidence: number,
  correct: boolean,
  probabilities: CalibrationPoint["probabilities"] = null,
): CalibrationPoint => ({
  confidence,
  correct,
  probabilities,
  reference: "A",
  letter: correct ? "A" : "B",
});

describe("calibrate (figures computed by hand)", () => {
  it("nothing to calibrate → null", () => expect(calibrate([])).toBeNull());

  it("ECE over 10 equal-width bins, 1.0 in the last", () => {
    // bin [0.9,1.0]: 0.95 ✓, 1.0 ✓, 0.9 ✗ → acc 2/3, mean conf 0.95 → |0.6667−0.95| = 0.28333, weight 3/5
    // bin [0.6,0.7): 0.6 ✓, 0.65 ✗ → acc 0.5, mean 0.625 → 0.125, weight 2/5
    // ECE = 0.6·0.28333 + 0.4·0.125 = 0.17 + 0.05 = 0.22
    const c = calibrate([pt(0.95, true), pt(1.0, true), pt(0.9, false), pt(0.6, true), pt(0.65, false)])!;
    expect(c.n).toBe(5);
    expect(c.ece).toBeCloseTo(0.22, 4);
    expect(c.bins).toEqual([
      { lo: 0.6, hi: 0.7, count: 2, meanConfidence: 0.625, accuracy: 0.5 },
      { lo: 0.9, hi: 1, count: 3, meanConfidence: 0.95, accuracy: 0.6667 },
    ]);
  });

  it("Brier: Σ over offered letters of (p − 1[reference])², averaged; answers without probabilities left out", () => {
    // reference A: (0.7−1)² + 0.2² + 0.1² = 0.09 + 0.04 + 0.01 = 0.14; (0.2−1)² + 0.8² = 0.64 + 0.64 = 1.28
    const c = calibrate([
      pt(0.7, true, { A: 0.7, B: 0.2, C: 0.1 }),
      pt(0.8, false, { A: 0.2, B: 0.8 }),
      pt(0.9, true),
    ])!;
    expect(c.brier).toBeCloseTo((0.14 + 1.28) / 2, 6);
    expect(c.brierN).toBe(2);
  });

  it("selective accuracy keeps the most confident ⌈c·n⌉, and AURC is the mean risk over coverages", () => {
    // ranked: 0.9 ✓, 0.8 ✓, 0.7 ✗, 0.6 ✓, 0.5 ✗ → top-k accuracy 1, 1, 2/3, 3/4, 3/5
    const c = calibrate([pt(0.5, false), pt(0.9, true), pt(0.7, false), pt(0.6, true), pt(0.8, true)])!;
    expect(c.selective).toEqual({ at50: 0.6667, at80: 0.75, at100: 0.6 }); // ⌈2.5⌉ = 3, ⌈4⌉ = 4, 5
    // risks 0, 0, 1/3, 1/4, 2/5 → mean = (0.33333 + 0.25 + 0.4) / 5 = 0.196667
    expect(c.aurc).toBeCloseTo(0.1967, 4);
  });

  it("a perfectly calibrated, perfectly ranked set has ECE 0 and the lowest AURC", () => {
    const c = calibrate([pt(1, true), pt(1, true), pt(0, false), pt(0, false)])!;
    expect(c.ece).toBe(0);
    // risks 0, 0, 1/3, 1/2 → 0.2083
    expect(c.aurc).toBeCloseTo(0.2083, 4);
  });
});
