import { describe, expect, it } from "vitest";
import { confidenceBins, coverageCurve, selectivePoints } from "./calibration";
import { calibration } from "./run-fixture";

// 10 answers: 2 at 0.3 (0 right), 3 at 0.6 (2 right), 5 at 0.9 (4 right).
const C = calibration(
  [
    { lo: 0.3, count: 2, right: 0 },
    { lo: 0.6, count: 3, right: 2 },
    { lo: 0.9, count: 5, right: 4 },
  ],
  { selective: { at50: 0.8, at80: 0.75, at100: 0.6 } },
);

describe("confidenceBins", () => {
  it("gives all ten bands in order, with right and wrong counts recovered exactly from count × accuracy", () => {
    const bins = confidenceBins(C);
    expect(bins.map((b) => b.label)).toEqual([
      "0.0–0.1",
      "0.1–0.2",
      "0.2–0.3",
      "0.3–0.4",
      "0.4–0.5",
      "0.5–0.6",
      "0.6–0.7",
      "0.7–0.8",
      "0.8–0.9",
      "0.9–1.0",
    ]);
    expect(bins.map((b) => [b.right, b.wrong])).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 2],
      [0, 0],
      [0, 0],
      [2, 1],
      [0, 0],
      [0, 0],
      [4, 1],
    ]);
  });

  it("recovers the counts despite the accuracy being rounded to 4 decimals", () => {
    const c = calibration([{ lo: 0.5, count: 2999, right: 1000 }]);
    expect(c.bins[0]!.accuracy).toBe(0.3334);
    expect(confidenceBins(c)[5]).toMatchObject({ right: 1000, wrong: 1999 });
  });
});

describe("coverageCurve", () => {
  it("keeps the most confident bands first; each point is the exact accuracy of the answers kept", () => {
    expect(coverageCurve(C)).toEqual([
      { coverage: 0.5, accuracy: 0.8, minConfidence: 0.9 },
      { coverage: 0.8, accuracy: 0.75, minConfidence: 0.6 },
      { coverage: 1, accuracy: 0.6, minConfidence: 0.3 },
    ]);
  });

  it("agrees with the server's selective accuracies where they meet", () => {
    const curve = coverageCurve(C);
    for (const p of selectivePoints(C)) {
      const at = curve.find((q) => Math.abs(q.coverage - p.coverage) < 1e-9);
      expect(at?.accuracy, String(p.coverage)).toBeCloseTo(p.accuracy, 4);
    }
  });
});
