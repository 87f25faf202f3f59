import "server-only";
import type { LlamaContextSequence, LlamaModel, Token } from "node-llama-cpp";
import { letterOfToken } from "@/lib/answer/confidence";
import type { TokenLogprob } from "./types";

/**
 * Log-probabilities for the embedded engine. node-llama-cpp can give the whole vocabulary's probabilities at every
 * step, but sorting Gemma's 256k-token vocabulary per generated token would cost more than the generation itself. The
 * answer needs one step only: the token after `<answer>`. So generation runs as usual, and afterwards that one step
 * is evaluated again with its probabilities — erase the context from the token before it, re-evaluate that token,
 * read the next-token distribution — one extra token's work.
 */

/** Index in `generated` of the first letter token after the first `<answer>`, or -1. */
export function answerTokenIndex(model: LlamaModel, generated: Token[]): number {
  const hasTag = (n: number) => model.detokenize(generated.slice(0, n)).includes("<answer>");
  if (!hasTag(generated.length)) return -1;
  // The prefix that first holds the tag (containing it only grows with the prefix).
  let lo = 0;
  let hi = generated.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (hasTag(mid)) hi = mid;
    else lo = mid + 1;
  }
  for (let i = lo; i < generated.length; i++) {
    const piece = model.detokenize([generated[i]!]);
    if (letterOfToken(piece)) return i;
    if (piece.trim() !== "") return -1; // something other than white space came first: no letter there
  }
  return -1;
}

/**
 * The alternatives at step `k` of the generation: `generated[k]` with its logprob and the `topN` most likely tokens,
 * plus where the step's text starts in the reply. The sequence must hold the prompt (`promptLength` tokens) and the
 * generated tokens; it is cut back to before step k, so use this only when the generation is over. Null when the
 * context does not hold what it should (nothing is guessed).
 */
export async function measureStep(
  sequence: LlamaContextSequence,
  model: LlamaModel,
  promptLength: number,
  generated: Token[],
  k: number,
  topN: number,
): Promise<{ step: TokenLogprob; offset: number } | null> {
  const at = promptLength + k; // context position of generated[k]
  const context = sequence.contextTokens;
  if (k < 0 || at < 1 || context[at] !== generated[k]) return null;
  const previous = context[at - 1]!;
  await sequence.eraseContextTokenRanges([{ start: at - 1, end: sequence.nextTokenIndex }]);
  const [out] = await sequence.controlledEvaluate([[previous, { generateNext: { probabilities: true } }]]);
  const probabilities = out?.next.probabilities;
  if (!probabilities) return null;
  const top: TokenLogprob["top"] = [];
  for (const [token, p] of probabilities) {
    if (top.length >= topN) break;
    top.push({ token: model.detokenize([token]), logprob: Math.log(p) });
  }
  const own = probabilities.get(generated[k]!) ?? 0;
  return {
    step: { token: model.detokenize([generated[k]!]), logprob: Math.log(own), top },
    offset: model.detokenize(generated.slice(0, k)).length,
  };
}
