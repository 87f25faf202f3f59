import type { ResultRow, VerdictRow } from "@/eval/store/results";
import type { ModelSummary } from "@/eval/domain";
import { calibrate } from "@/eval/scorers/calibration";
import type { Letter } from "@/lib/schemas/options";
import { mcnemarExact, meanWithCi, pairedWinsLossesTies, percentile, wilsonInterval } from "@/eval/scorers/stats";

export type { ModelSummary };

const round = (v: number | null, digits = 4) => (v === null ? null : Math.round(v * 10 ** digits) / 10 ** digits);

export function summarizeModel(
  model: string,
  total: number,
  results: ResultRow[],
  verdicts: VerdictRow[],
): ModelSummary {
  const mine = results.filter((r) => r.model === model);
  const ok = mine.filter((r) => r.status === "ok");
  const correct = ok.filter((r) => r.exact).length;
  const scores = verdicts.filter((v) => v.model === model && v.status === "scored").map((v) => v.score!);
  const judge = meanWithCi(scores);
  const latencies = ok.map((r) => r.latencyMs).filter((v): v is number => v !== null);
  const tps = ok.map((r) => r.tokensPerSecond).filter((v): v is number => v !== null);
  return {
    model,
    total,
    completed: ok.length,
    answered: ok.filter((r) => r.letter !== null).length,
    correct,
    accuracy: ok.length ? round(correct / ok.length) : null,
    accuracyCi: ok.length ? (wilsonInterval(correct, ok.length).map((v) => round(v)!) as [number, number]) : null,
    formatOk: ok.filter((r) => r.formatOk).length,
    judgeMean: round(judge.mean, 3),
    judgeCi: judge.lo !== null && judge.hi !== null ? [round(judge.lo, 3)!, round(judge.hi, 3)!] : null,
    judged: scores.length,
    unparseableVerdicts: verdicts.filter((v) => v.model === model && v.status === "unparseable").length,
    judgeErrors: verdicts.filter((v) => v.model === model && v.status === "error").length,
    latencyP50Ms: round(percentile(latencies, 50), 1),
    latencyP95Ms: round(percentile(latencies, 95), 1),
    tokensPerSecond: tps.length ? round(tps.reduce((a, b) => a + b, 0) / tps.length, 1) : null,
    errors: mine.filter((r) => r.status === "error").length,
    calibration: calibrate(
      ok.flatMap((r) =>
        r.confidence === null
          ? []
          : [
              {
                confidence: r.confidence,
                correct: !!r.exact,
                probabilities: r.probabilities,
                reference: referenceOf(r),
                letter: r.letter,
              },
            ],
      ),
    ),
    vote: voteSummary(ok),
  };
}

/** Older rows lack the stored reference; a right answer's reference is its letter, a wrong one's is unknown (→ A). */
function referenceOf(r: ResultRow): Letter {
  return r.referenceLetter ?? (r.exact ? r.letter : null) ?? "A";
}

function voteSummary(ok: ResultRow[]): ModelSummary["vote"] {
  if (!ok.some((r) => r.agreement !== null)) return null;
  const voted = ok.filter((r) => r.agreement !== null);
  const correct = voted.filter((r) => r.voteExact === true).length;
  return {
    correct,
    accuracy: ok.length ? round(correct / ok.length) : null,
    calibration: calibrate(
      voted.flatMap((r) =>
        r.voteLetter === null
          ? []
          : [
              {
                confidence: r.agreement!,
                correct: r.voteExact === true,
                probabilities: null,
                reference: referenceOf(r),
                letter: r.voteLetter,
              },
            ],
      ),
    ),
  };
}

export type Side = { results: ResultRow[]; verdicts: VerdictRow[]; model: string };

export type Comparison = {
  /** Items both sides completed. */
  paired: number;
  accuracyA: number | null;
  accuracyB: number | null;
  /** accuracyA − accuracyB over the paired items. */
  accuracyDiff: number | null;
  accuracyDiffCi: [number, number] | null;
  /** A right & B wrong, A wrong & B right. */
  discordant: { aOnly: number; bOnly: number };
  mcnemarP: number;
  judge: { wins: number; losses: number; ties: number; skipped: number };
  /** Items whose letters differ. */
  differing: { itemIdx: number; letterA: string | null; letterB: string | null; exactA: boolean; exactB: boolean }[];
};

/**
 * 95 % CI of the paired accuracy difference, Wald interval for matched proportions: d = (b − c)/n with
 * SE = √((b + c) − (b − c)²/n) / n, where b and c are the discordant counts; clipped to [−1, 1]. Null without pairs.
 */
export function pairedDiffCi(b: number, c: number, n: number): [number, number] | null {
  if (n === 0) return null;
  const d = (b - c) / n;
  const se = Math.sqrt(Math.max(0, b + c - (b - c) ** 2 / n)) / n;
  return [round(Math.max(-1, d - 1.96 * se))!, round(Math.min(1, d + 1.96 * se))!];
}

/** Paired comparison of two models (or runs) over the items both completed. */
export function compareSides(a: Side, b: Side): Comparison {
  const okA = new Map(a.results.filter((r) => r.model === a.model && r.status === "ok").map((r) => [r.itemIdx, r]));
  const okB = new Map(b.results.filter((r) => r.model === b.model && r.status === "ok").map((r) => [r.itemIdx, r]));
  const idxs = [...okA.keys()].filter((i) => okB.has(i)).sort((x, y) => x - y);
  let aOnly = 0;
  let bOnly = 0;
  let rightA = 0;
  let rightB = 0;
  const differing: Comparison["differing"] = [];
  for (const i of idxs) {
    const ra = okA.get(i)!;
    const rb = okB.get(i)!;
    if (ra.exact) rightA++;
    if (rb.exact) rightB++;
    if (ra.exact && !rb.exact) aOnly++;
    if (!ra.exact && rb.exact) bOnly++;
    if (ra.letter !== rb.letter)
      differing.push({ itemIdx: i, letterA: ra.letter, letterB: rb.letter, exactA: !!ra.exact, exactB: !!rb.exact });
  }
  const score = (side: Side) => {
    const m = new Map(
      side.verdicts.filter((v) => v.model === side.model && v.status === "scored").map((v) => [v.itemIdx, v.score]),
    );
    return idxs.map((i) => m.get(i) ?? null);
  };
  const n = idxs.length;
  return {
    paired: n,
    accuracyA: n ? round(rightA / n) : null,
    accuracyB: n ? round(rightB / n) : null,
    accuracyDiff: n ? round((rightA - rightB) / n) : null,
    discordant: { aOnly, bOnly },
    accuracyDiffCi: pairedDiffCi(aOnly, bOnly, n),
    mcnemarP: round(mcnemarExact(aOnly, bOnly), 6)!,
    judge: pairedWinsLossesTies(score(a), score(b)),
    differing,
  };
}
