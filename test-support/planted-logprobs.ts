/**
 * The log-probabilities the stand-ins plant, so tests can check what the app derives from them. For a chunk that
 * writes the answer letter right after `<answer>` (e.g. "B" or "B:"), the token gets −0.22 and each other letter
 * is an alternative at −0.22 − 1.6 − 0.9·k (k = 0, 1, … in A–E order, skipping the chosen one), spelled the same way
 * ("A:" for "B:"). Every other chunk is near-certain, with a few word alternatives.
 */
export type PlantedToken = { token: string; logprob: number; top: { token: string; logprob: number }[] };

export const ANSWER_LOGPROB = -0.22;

export function plantedLogprobs(chunks: string[], topN: number): PlantedToken[] {
  const answerAt = chunks.findIndex((c, i) => i > 0 && /^[A-E]\b/.test(c) && /<answer>\s*$/.test(chunks[i - 1] ?? ""));
  return chunks.map((token, i) => {
    const isAnswer = i === answerAt;
    const own = isAnswer ? ANSWER_LOGPROB : -0.04 - (i % 5) * 0.01;
    const alts = isAnswer
      ? ["A", "B", "C", "D", "E"].filter((l) => l !== token[0]).map((l) => token.replace(/^[A-E]/, l))
      : [" the", " a", ",", "."];
    const top = [
      { token, logprob: own },
      ...alts.map((t, k) => ({ token: t, logprob: Number((own - 1.6 - k * 0.9).toFixed(4)) })),
    ].slice(0, topN);
    return { token, logprob: own, top };
  });
}

/** What the app should derive from the planted values: renormalised over the offered letters. */
export function plantedProbabilities(chosen: string, offered: string[]): Record<string, number> {
  const others = ["A", "B", "C", "D", "E"].filter((l) => l !== chosen);
  const weight = (l: string) =>
    Math.exp(l === chosen ? ANSWER_LOGPROB : ANSWER_LOGPROB - 1.6 - 0.9 * others.indexOf(l));
  const total = offered.reduce((sum, l) => sum + weight(l), 0);
  return Object.fromEntries(offered.map((l) => [l, weight(l) / total]));
}
