import { describe, expect, it } from "vitest";
import { mcnemarExact, meanWithCi, pairedWinsLossesTies, percentile, studentTQuantile, wilsonInterval } from "./stats";

// Reference values from scipy 1.x: binomtest(...).proportion_ci(method="wilson"), binomtest(k, n).pvalue,
// t.ppf(0.975, df), numpy.percentile (linear).
const Z975 = 1.959963984540054;

describe("wilsonInterval", () => {
  it("matches scipy for 64/93", () => {
    const [lo, hi] = wilsonInterval(64, 93, Z975);
    expect(lo).toBeCloseTo(0.5881441485195871, 10);
    expect(hi).toBeCloseTo(0.7732713074867492, 10);
    // With the default z = 1.96 the interval is [0.588, 0.773] to three places.
    const [lo2, hi2] = wilsonInterval(64, 93);
    expect(lo2).toBeCloseTo(0.588, 3);
    expect(hi2).toBeCloseTo(0.773, 3);
  });
  it("stays inside [0, 1] at the extremes", () => {
    const [lo0, hi0] = wilsonInterval(0, 93, Z975);
    expect(lo0).toBe(0);
    expect(hi0).toBeCloseTo(0.03966750261173514, 10);
    const [lo1, hi1] = wilsonInterval(93, 93, Z975);
    expect(lo1).toBeCloseTo(0.9603324973882648, 10);
    expect(hi1).toBe(1);
    const [lo2, hi2] = wilsonInterval(1, 1, Z975);
    expect(lo2).toBeCloseTo(0.20654931437723745, 10);
    expect(hi2).toBe(1);
  });
  it("n = 0 knows nothing: [0, 1]", () => {
    expect(wilsonInterval(0, 0)).toEqual([0, 1]);
  });
  it("rejects impossible counts", () => {
    expect(() => wilsonInterval(5, 4)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 4)).toThrow(RangeError);
    expect(() => wilsonInterval(1.5, 4)).toThrow(RangeError);
  });
});

describe("studentTQuantile", () => {
  it.each([
    [1, 12.70620474],
    [2, 4.30265273],
    [3, 3.18244631],
    [4, 2.77644511],
    [5, 2.57058184],
    [10, 2.22813885],
    [30, 2.04227246],
    [92, 1.98608632],
    [1000, 1.96233908],
  ])("t(0.975, df=%i) = %f", (df, expected) => {
    expect(studentTQuantile(0.975, df)).toBeCloseTo(expected, 7);
  });
  it("is symmetric", () => {
    expect(studentTQuantile(0.025, 7)).toBeCloseTo(-studentTQuantile(0.975, 7), 10);
    expect(studentTQuantile(0.5, 3)).toBe(0);
  });
});

describe("meanWithCi", () => {
  it("gives the t interval", () => {
    const r = meanWithCi([1, 2, 3, 4, 5]);
    expect(r.n).toBe(5);
    expect(r.mean).toBe(3);
    expect(r.lo).toBeCloseTo(1.0367568385224428, 9);
    expect(r.hi).toBeCloseTo(4.963243161477557, 9);
    const s = meanWithCi([4, 5, 3, 5, 4, 2, 5, 1]);
    expect(s.mean).toBe(3.625);
    expect(s.lo).toBeCloseTo(2.3660021371987874, 9);
    expect(s.hi).toBeCloseTo(4.883997862801213, 9);
  });
  it("claims no interval below two values", () => {
    expect(meanWithCi([])).toEqual({ mean: null, lo: null, hi: null, n: 0 });
    expect(meanWithCi([4])).toEqual({ mean: 4, lo: null, hi: null, n: 1 });
  });
  it("a constant sample has a zero-width interval", () => {
    expect(meanWithCi([3, 3, 3])).toEqual({ mean: 3, lo: 3, hi: 3, n: 3 });
  });
  it("refuses NaN instead of returning NaN", () => {
    expect(() => meanWithCi([1, Number.NaN])).toThrow(RangeError);
  });
});

describe("percentile (linear, numpy default)", () => {
  it("matches numpy", () => {
    const v = [10, 1, 4, 2, 3];
    expect(percentile(v, 0)).toBe(1);
    expect(percentile(v, 25)).toBe(2);
    expect(percentile(v, 50)).toBe(3);
    expect(percentile(v, 90)).toBeCloseTo(7.6, 12);
    expect(percentile(v, 100)).toBe(10);
    expect(percentile([3, 1, 2], 95)).toBeCloseTo(2.9, 12);
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(hundred, 95)).toBeCloseTo(95.05, 12);
    expect(percentile(hundred, 99)).toBeCloseTo(99.01, 12);
  });
  it("handles one value, no values and does not reorder the input", () => {
    expect(percentile([5], 50)).toBe(5);
    expect(percentile([], 50)).toBeNull();
    const v = [3, 1, 2];
    percentile(v, 50);
    expect(v).toEqual([3, 1, 2]);
  });
  it("rejects p outside 0–100", () => {
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], -1)).toThrow(RangeError);
  });
});

describe("mcnemarExact", () => {
  it.each([
    [10, 2, 0.03857421875],
    [2, 10, 0.03857421875],
    [0, 6, 0.03125],
    [5, 5, 1],
    [3, 4, 1],
    [1, 20, 2.09808349609375e-5],
    [200, 150, 0.008720036530555947],
    [1500, 1400, 0.06598734966518463],
  ])("b=%i c=%i → %f", (b, c, p) => {
    expect(mcnemarExact(b, c)).toBeCloseTo(p, 12);
  });
  it("no discordant pairs → 1", () => {
    expect(mcnemarExact(0, 0)).toBe(1);
  });
  it("rejects non-counts", () => {
    expect(() => mcnemarExact(-1, 2)).toThrow(RangeError);
    expect(() => mcnemarExact(1.5, 2)).toThrow(RangeError);
  });
});

describe("pairedWinsLossesTies", () => {
  it("counts per pair and skips pairs with a missing score", () => {
    expect(pairedWinsLossesTies([5, 3, 4, null, 2, 0], [4, 3, 5, 4, null, 0])).toEqual({
      wins: 1,
      losses: 1,
      ties: 2,
      skipped: 2,
    });
  });
  it("refuses unpaired runs", () => {
    expect(() => pairedWinsLossesTies([1, 2], [1])).toThrow(RangeError);
  });
});
