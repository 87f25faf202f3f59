import { z } from "zod";

/** Option letters in order. A question offers a consecutive prefix of these (A–B at least, A–E at most). */
export const LETTERS = ["A", "B", "C", "D", "E"] as const;
export type Letter = (typeof LETTERS)[number];

/** Options keyed by letter; only A and B are guaranteed present. */
export type Options = { A: string; B: string; C?: string; D?: string; E?: string };

const optionText = z
  .string({ error: "must be a string" })
  .trim()
  .min(1, { error: "must not be empty" })
  .max(2000, { error: "must be at most 2000 characters" });

export const OptionsSchema = z
  .strictObject(
    {
      A: optionText,
      B: optionText,
      C: optionText.optional(),
      D: optionText.optional(),
      E: optionText.optional(),
    },
    { error: "options must be an object with keys A–E only" },
  )
  .superRefine((opts, ctx) => {
    // Letters must be consecutive from A: "A,B,D" would make the model's letter ambiguous.
    let gapAt: Letter | null = null;
    for (const letter of LETTERS) {
      const present = opts[letter] !== undefined;
      if (!present && gapAt === null) gapAt = letter;
      else if (present && gapAt !== null) {
        ctx.addIssue({
          code: "custom",
          path: [letter],
          message: `option ${letter} given but ${gapAt} is missing; letters must be consecutive from A`,
        });
      }
    }
  })
  .meta({ id: "Options", description: "2–5 answer options with consecutive letters starting at A." });

/** The letters a question actually offers, in order. */
export function offeredLetters(options: Options): Letter[] {
  return LETTERS.filter((l) => options[l] !== undefined);
}
