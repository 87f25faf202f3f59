/**
 * Option letters and the options type, client-safe (no zod): the clinician page imports these, the zod schemas in
 * options.ts re-export them for everything else.
 */

/** Option letters in order. A question offers a consecutive prefix of these (A–B at least, A–E at most). */
export const LETTERS = ["A", "B", "C", "D", "E"] as const;
export type Letter = (typeof LETTERS)[number];

/** Options keyed by letter; only A and B are guaranteed present. */
export type Options = { A: string; B: string; C?: string; D?: string; E?: string };

/** The letters a question actually offers, in order. */
export function offeredLetters(options: Options): Letter[] {
  return LETTERS.filter((l) => options[l] !== undefined);
}
