import type { ModelSummary } from "@/eval/domain";

/**
 * A run's health beyond its status. A run whose judge failed on most answers still ends `completed` — every
 * generation is there — but it must never look healthy: more than JUDGE_FAILURE_SHARE of the judge's attempts being
 * unreadable verdicts or errors gives a warning, shown as a banner on the run and a mark in the runs list.
 */
export const JUDGE_FAILURE_SHARE = 0.5;

export function runWarnings(summary: ModelSummary[]): string[] {
  const unreadable = summary.reduce((n, s) => n + s.unparseableVerdicts, 0);
  const errors = summary.reduce((n, s) => n + s.judgeErrors, 0);
  const attempted = summary.reduce((n, s) => n + s.judged + s.unparseableVerdicts + s.judgeErrors, 0);
  const failed = unreadable + errors;
  if (attempted === 0 || failed / attempted <= JUDGE_FAILURE_SHARE) return [];
  const why = [
    unreadable ? `${unreadable} unreadable verdict${unreadable === 1 ? "" : "s"}` : null,
    errors ? `${errors} judge error${errors === 1 ? "" : "s"}` : null,
  ]
    .filter(Boolean)
    .join(", ");
  return [`Judge failed on ${failed} of ${attempted} answers: ${why}. Its scores are not meaningful for this run.`];
}
