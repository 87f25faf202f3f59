import { offeredLetters, type Letter, type Options } from "@/lib/schemas/options";
import { findBlocks } from "./tags";

/** A generated token's text and the alternatives the model weighed at that step (natural-log probabilities). */
export type TokenChoice = { token: string; logprob: number; top: { token: string; logprob: number }[] };

export type OptionProbabilities = {
  /** The probability of the chosen letter. */
  confidence: number;
  /** One entry per offered letter, summing to 1. */
  probabilities: Partial<Record<Letter, number>>;
};

/**
 * The letter a token spells, or null. The rule: the token, with surrounding white space removed, is one capital
 * letter, optionally opened by "(" or "[" and closed by ")", "]", ":" or "." — so "B", " B", "B:", "(B", "B)" and
 * "\nB." all count as B. Lower case, words ("Be", "B12") and letters inside longer tokens do not.
 */
export function letterOfToken(token: string): Letter | null {
  const m = /^[([]?([A-E])[)\]:.]?$/.exec(token.trim());
  return m ? (m[1] as Letter) : null;
}

/**
 * Per-option probabilities for the answer the parser read, from the log-probabilities of the generated tokens.
 *
 * Where: the token in which the chosen letter was written — the first letter token after the last `<answer>` tag
 * that is followed by one, or, for replies without an answer block (chat-style), the last letter token naming the
 * chosen letter. What: that step's alternatives (the token itself included) that spell an offered letter, summed
 * per letter (" B" and "B" are both B) and renormalised over the offered letters; a letter absent from the top
 * alternatives gets 0. Null when there are no log-probabilities, no such token, or the token found does not spell
 * the parsed letter (then the numbers would describe another decision than the answer shown).
 */
export function optionProbabilities(
  tokens: TokenChoice[],
  reply: string,
  letter: Letter | null,
  options: Options,
): OptionProbabilities | null {
  if (letter === null || tokens.length === 0) return null;
  const step = answerStep(tokens, reply, letter);
  if (!step) return null;
  const offered = new Set(offeredLetters(options));
  const mass = new Map<Letter, number>();
  const seen = new Set<string>();
  for (const alt of [{ token: step.token, logprob: step.logprob }, ...step.top]) {
    if (seen.has(alt.token)) continue; // the chosen token is usually among its own alternatives
    seen.add(alt.token);
    const l = letterOfToken(alt.token);
    if (l && offered.has(l) && Number.isFinite(alt.logprob)) mass.set(l, (mass.get(l) ?? 0) + Math.exp(alt.logprob));
  }
  const total = [...mass.values()].reduce((a, b) => a + b, 0);
  if (!(total > 0)) return null;
  const probabilities: Partial<Record<Letter, number>> = {};
  for (const l of offered) probabilities[l] = round((mass.get(l) ?? 0) / total);
  return { confidence: probabilities[letter] ?? 0, probabilities };
}

const round = (p: number) => Math.round(p * 1e6) / 1e6;

/** The token in which the answer letter was written, found by its position in the reply. */
function answerStep(tokens: TokenChoice[], reply: string, letter: Letter): TokenChoice | null {
  const starts: number[] = [];
  let at = 0;
  for (const t of tokens) {
    starts.push(at);
    at += t.token.length;
  }
  // Token texts that do not add up to the reply (a server that reports bytes differently) cannot be placed.
  if (at !== reply.length) return null;
  const answers = findBlocks(reply).answer;
  for (const block of [...answers].reverse()) {
    const i = tokens.findIndex((t, k) => starts[k]! >= block.start && letterOfToken(t.token) !== null);
    if (i >= 0 && starts[i]! < block.end) return letterOfToken(tokens[i]!.token) === letter ? tokens[i]! : null;
  }
  for (let k = tokens.length - 1; k >= 0; k--) if (letterOfToken(tokens[k]!.token) === letter) return tokens[k]!;
  return null;
}
