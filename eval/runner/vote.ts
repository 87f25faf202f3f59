import type { Letter } from "@/lib/schemas/options";

/**
 * Self-consistency's vote over k samples. The voted letter is the one most samples chose; a tie is broken by the
 * summed confidence of the tied letters' samples (a sample without a confidence adds 0), then alphabetically. Samples
 * that named no option vote for nothing. Agreement is the share of all k samples that chose the voted letter, so
 * samples without an answer lower it. No sample with a letter → no vote (null, agreement 0).
 */
export function vote(samples: { letter: Letter | null; confidence: number | null }[]): {
  letter: Letter | null;
  agreement: number;
} {
  const tally = new Map<Letter, { count: number; confidence: number }>();
  for (const s of samples) {
    if (!s.letter) continue;
    const t = tally.get(s.letter) ?? { count: 0, confidence: 0 };
    t.count += 1;
    t.confidence += s.confidence ?? 0;
    tally.set(s.letter, t);
  }
  const ranked = [...tally.entries()].sort(
    ([la, a], [lb, b]) => b.count - a.count || b.confidence - a.confidence || la.localeCompare(lb),
  );
  const top = ranked[0];
  if (!top || samples.length === 0) return { letter: null, agreement: 0 };
  return { letter: top[0], agreement: top[1].count / samples.length };
}
