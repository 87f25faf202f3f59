import { AskRequestSchema, type AskRequestInput } from "@/lib/schemas/ask";
import { LETTERS, type Letter } from "@/lib/schemas/options";

export type OptionDraft = Record<Letter, string>;
export const EMPTY_OPTIONS: OptionDraft = { A: "", B: "", C: "", D: "", E: "" };

/** The question as the clinician is writing it. */
export type Draft = { caseText: string; options: OptionDraft; showE: boolean; model: string };

/** Field id → message, in the order the fields appear (the first one gets the focus). */
export type FieldErrors = { field: string; message: string }[];

const MAX_CASE = 20000;
const MAX_OPTION = 2000;

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
 * Checks the draft in the clinician's words ("Enter option B", not "must not be empty") and builds the request. The
 * schema the server validates with runs last, as a backstop, so the page never sends what the server would refuse.
 */
export function validateDraft(draft: Draft): { body: AskRequestInput; errors: FieldErrors } {
  const errors: FieldErrors = [];
  const caseText = draft.caseText.trim();
  if (!caseText) errors.push({ field: caseFieldId, message: "Enter the clinical case" });
  else if (caseText.length > MAX_CASE)
    errors.push({
      field: caseFieldId,
      message: `Shorten the case to ${MAX_CASE.toLocaleString("en")} characters or fewer`,
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
    } else if (text.length > MAX_OPTION) {
      errors.push({
        field: optionFieldId(letter),
        message: `Shorten option ${letter} to ${MAX_OPTION.toLocaleString("en")} characters or fewer`,
      });
    }
  }

  const body: AskRequestInput = {
    case: draft.caseText,
    options: Object.fromEntries(letters.map((l) => [l, draft.options[l]])) as AskRequestInput["options"],
    model: draft.model,
  };
  if (errors.length === 0) {
    const parsed = AskRequestSchema.safeParse(body);
    if (!parsed.success) {
      // Only reachable if the rules above and the schema drift apart: still say something a clinician can act on.
      for (const issue of parsed.error.issues) {
        const [first, second] = issue.path;
        const field =
          first === "options" && typeof second === "string" && (LETTERS as readonly string[]).includes(second)
            ? optionFieldId(second as Letter)
            : first === "model"
              ? "model"
              : caseFieldId;
        if (!errors.some((e) => e.field === field))
          errors.push({ field, message: "Check this field: the server would not accept it as written" });
      }
    }
  }
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
