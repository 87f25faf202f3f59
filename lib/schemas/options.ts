import { z } from "zod";
import { LETTERS, type Letter } from "./letters";
import { OPTION_MAX_CHARS } from "./limits";

// The letters and the options type are client-safe, in letters.ts; re-exported here for the server's imports.
export { LETTERS, offeredLetters, type Letter, type Options } from "./letters";

const optionText = z
  .string({ error: "must be a string" })
  .trim()
  .min(1, { error: "must not be empty" })
  .max(OPTION_MAX_CHARS, { error: `must be at most ${OPTION_MAX_CHARS} characters` });

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
