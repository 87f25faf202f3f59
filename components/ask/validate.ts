import type { AskRequestInput } from "@/lib/schemas/ask";
import { LETTERS, type Letter } from "@/lib/schemas/letters";
import { CASE_MAX_CHARS, MODEL_NAME_MAX_CHARS, MODEL_NAME_PATTERN, OPTION_MAX_CHARS } from "@/lib/schemas/limits";

export type OptionDraft = Record<Letter, string>;
export const EMPTY_OPTIONS: OptionDraft = { A: "", B: "", C: "", D: "", E: "" };

/** The question as the clinician is writing it. */
export type Draft = { caseText: string; options: OptionDraft; showE: boolean; model: string };

/** Field id → message, in the order the fields appear (the first one gets the focus). */
export type FieldErrors = { field: string; message: string }[];

/** The letters the form sends: A–D (A–E with E shown), less trailing empty ones, but at least A and B. */
export function usedLetters(draft: Draft): Letter[] {
  const letters = LETTERS.filter((l) => l !== "E" || draft.showE);
  let last = -1;
  letters.forEach((l, i) => {
    if (draft.options[l].trim()) last = i;
  });
  return letters.slice(0, Math.max(last + 1, 2));
}

export const caseFieldId = "case";
export const optionFieldId = (letter: Letter) => `option-${letter}-input`;

/**
 * Checks the draft in the clinician's words ("Enter option B", not "must not be empty") and builds the request.
 *
 * The browser does not run AskRequestSchema: it would bring the whole of zod into the clinician page (about 32 kB of
 * its first-load JavaScript). The rules here use the schema's own limits (lib/schemas/limits.ts), validate.test.ts
 * proves that every body they let through is one the schema accepts, and the server stays the authority: whatever it
 * refuses comes back as 400 invalid_request with its issues, which the page shows like any other error.
 */
export function validateDraft(draft: Draft): { body: AskRequestInput; errors: FieldErrors } {
  const errors: FieldErrors = [];
  const caseText = draft.caseText.trim();
  if (!caseText) errors.push({ field: caseFieldId, message: "Enter the clinical case" });
  else if (caseText.length > CASE_MAX_CHARS)
    errors.push({
      field: caseFieldId,
      message: `Shorten the case to ${CASE_MAX_CHARS.toLocaleString("en")} characters or fewer`,
    });

  const letters = usedLetters(draft);
  for (const letter of letters) {
    const text = draft.options[letter].trim();
    if (!text) {
      // A gap in the middle ("A, B, D") would make the model's letter ambiguous; say what to do about it.
      const later = letters.slice(letters.indexOf(letter) + 1).some((l) => draft.options[l].trim());
      errors.push({
        field: optionFieldId(letter),
        message:
          later && letter > "B" ? `Enter option ${letter}, or clear the options after it` : `Enter option ${letter}`,
      });
    } else if (text.length > OPTION_MAX_CHARS) {
      errors.push({
        field: optionFieldId(letter),
        message: `Shorten option ${letter} to ${OPTION_MAX_CHARS.toLocaleString("en")} characters or fewer`,
      });
    }
  }

  // The model comes from the picker (the server's own list), so this only fails if that list holds a name the
  // server would refuse; the words are the ones the schema backstop used to give.
  const model = draft.model.trim();
  if (!model || model.length > MODEL_NAME_MAX_CHARS || !MODEL_NAME_PATTERN.test(model))
    errors.push({ field: "model", message: "Check this field: the server would not accept it as written" });

  const body: AskRequestInput = {
    case: draft.caseText,
    options: Object.fromEntries(letters.map((l) => [l, draft.options[l]])) as AskRequestInput["options"],
    model: draft.model,
  };
  return { body, errors };
}

/** The text of one field of the draft, by field id. */
export function fieldValue(draft: Draft, field: string): string {
  if (field === caseFieldId) return draft.caseText;
  const letter = LETTERS.find((l) => optionFieldId(l) === field);
  return letter ? draft.options[letter] : draft.model;
}

/** The draft that asks `body` again, for "Edit and ask again". */
export function draftFrom(body: AskRequestInput): Draft {
  const options = { ...EMPTY_OPTIONS };
  for (const letter of LETTERS) options[letter] = body.options[letter] ?? "";
  return { caseText: body.case, options, showE: body.options.E !== undefined, model: body.model ?? "" };
}
