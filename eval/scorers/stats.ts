/**
 * Small statistics for eval reports: accuracy intervals, score means, and paired model comparisons.
 * No dependency: the few distributions needed (binomial, Student t) are computed here.
 */

function assertCount(name: string, x: number) {
  if (!Number.isInteger(x) || x < 0) throw new RangeError(`${name} must be a non-negative integer, got ${x}`);
}

function assertFinite(values: readonly number[]) {
  // A NaN would silently poison a mean or a sort; callers must drop missing scores explicitly.
  for (const v of values) if (!Number.isFinite(v)) throw new RangeError(`values must be finite numbers, got ${v}`);
}

/**
 * Wilson score interval for a proportion. Chosen over the normal (Wald) interval because accuracies near 0 or 1
 * on ~100 questions are common here, where Wald collapses to zero width or leaves [0, 1].
 * n = 0 → [0, 1]: nothing is known.
 */
export function wilsonInterval(successes: number, n: number, z = 1.96): [number, number] {
  assertCount("successes", successes);
  assertCount("n", n);
  if (successes > n) throw new RangeError(`successes (${successes}) must not exceed n (${n})`);
  if (n === 0) return [0, 1];
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  // Clamp rounding noise so that 0/n and n/n give exactly 0 and 1 at the ends.
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

// ---------------------------------------------------------------------------------------------------------------
// Student t quantile, via the regularized incomplete beta function (Numerical Recipes `betacf`).

function logGamma(x: number): number {
  // Lanczos approximation (g = 7, n = 9); ~15 significant digits for x > 0.
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const xm = x - 1;
  let a = c[0]!;
  const t = xm + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (xm + i);
  return 0.5 * Math.log(2 * Math.PI) + (xm + 0.5) * Math.log(t) - t + Math.log(a);
}

function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

/** I_x(a, b) */
function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // The continued fraction converges fast only on one side of the mean; use the symmetry on the other.
  return x < (a + 1) / (a + b + 2)
    ? (front * betaContinuedFraction(a, b, x)) / a
    : 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** P(T ≤ t) for Student's t with `df` degrees of freedom. */
function studentTCdf(t: number, df: number): number {
  const tail = 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The p-quantile of Student's t (0 < p < 1), by bisection on the CDF: slow-ish but exact to ~1e-12. */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`p must be in (0, 1), got ${p}`);
  if (!(df > 0)) throw new RangeError(`df must be > 0, got ${df}`);
  if (p === 0.5) return 0;
  let lo = -1;
  let hi = 1;
  while (studentTCdf(lo, df) > p) lo *= 2;
  while (studentTCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * Math.max(1, Math.abs(lo)); i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export type MeanWithCi = {
  /** null when there are no values */
  mean: number | null;
  /** 95% t interval; null when n < 2 (one value says nothing about spread, so no interval is claimed) */
  lo: number | null;
  hi: number | null;
  n: number;
};

/**
 * Mean with a two-sided 95% Student-t confidence interval (sample standard deviation, df = n − 1).
 * n = 0 → all null; n = 1 → the mean with lo = hi = null: lo = hi = mean would claim a certainty one judge
 * score does not give. Callers drop missing (unparseable) scores before calling; non-finite values throw.
 */
export function meanWithCi(values: readonly number[]): MeanWithCi {
  assertFinite(values);
  const n = values.length;
  if (n === 0) return { mean: null, lo: null, hi: null, n };
  const mean = values.reduce((s, v) => s + v, 0) / n;
  if (n < 2) return { mean, lo: null, hi: null, n };
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1);
  const half = studentTQuantile(0.975, n - 1) * Math.sqrt(variance / n);
  return { mean, lo: mean - half, hi: mean + half, n };
}

/**
 * The p-th percentile (p in 0–100) by linear interpolation between closest ranks (Hyndman–Fan type 7, the
 * default of numpy, R and Excel PERCENTILE.INC), so a latency p95 here matches what a notebook computes.
 * Empty input → null.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`p must be in [0, 100], got ${p}`);
  assertFinite(values);
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const below = Math.floor(rank);
  const lower = sorted[below]!;
  const upper = sorted[Math.min(below + 1, sorted.length - 1)]!;
  return lower + (upper - lower) * (rank - below);
}

/**
 * Two-sided exact McNemar test on the discordant pairs: b = A right & B wrong, c = A wrong & B right.
 * p = min(1, 2·P(X ≤ min(b, c))), X ~ Binomial(b + c, ½). Computed in log space so that b + c in the
 * thousands does not underflow 0.5^n. b + c = 0 → 1 (no evidence of a difference).
 */
export function mcnemarExact(b: number, c: number): number {
  assertCount("b", b);
  assertCount("c", c);
  const n = b + c;
  if (n === 0) return 1;
  const k = Math.min(b, c);
  let logPmf = n * Math.log(0.5); // P(X = 0)
  let logMax = logPmf;
  const terms = [logPmf];
  for (let i = 0; i < k; i++) {
    logPmf += Math.log((n - i) / (i + 1));
    terms.push(logPmf);
    logMax = Math.max(logMax, logPmf);
  }
  const tail = Math.exp(logMax) * terms.reduce((s, t) => s + Math.exp(t - logMax), 0);
  return Math.min(1, 2 * tail);
}

export type PairedCounts = {
  /** a > b */
  wins: number;
  /** a < b */
  losses: number;
  ties: number;
  /** pairs left out because either side is null (e.g. an unparseable judge verdict) */
  skipped: number;
};

/**
 * Per-question comparison of two runs over the same items in the same order (a[i] and b[i] are the same question).
 * A missing score on either side skips the pair rather than counting as a loss: an unreadable verdict is not a
 * wrong answer. Different lengths mean the runs are not paired → throws.
 */
export function pairedWinsLossesTies(a: readonly (number | null)[], b: readonly (number | null)[]): PairedCounts {
  if (a.length !== b.length) throw new RangeError(`paired runs must have the same length (${a.length} vs ${b.length})`);
  const out: PairedCounts = { wins: 0, losses: 0, ties: 0, skipped: 0 };
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === null || x === undefined || y === null || y === undefined || Number.isNaN(x) || Number.isNaN(y))
      out.skipped += 1;
    else if (x > y) out.wins += 1;
    else if (x < y) out.losses += 1;
    else out.ties += 1;
  }
  return out;
}
