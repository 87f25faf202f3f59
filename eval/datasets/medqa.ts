/**
 * The MedQA JSONL format (USMLE questions as published by the MedQA authors):
 * `{question, options: {A: …, B: …}, answer_idx: "D", answer?: "option text", …}`. Extra fields (meta_info,
 * metamap_phrases) are ignored.
 */
import { checkCaseText, checkLetter, checkOptions, reject, stringField, type ItemFields } from "./validate";

export const MEDQA_FIELDS = ["question", "options", "answer_idx"] as const;

// Whitespace and Unicode composition differences are not a different answer; anything else is.
const comparable = (s: string) => s.normalize("NFC").replace(/\s+/g, " ").trim();

export function medqaItem(row: Record<string, unknown>): ItemFields {
  const caseText = checkCaseText(stringField(row, "question"), 'field "question"');
  const rawOptions = row.options;
  if (rawOptions === undefined) reject('missing field "options"');
  if (typeof rawOptions !== "object" || rawOptions === null || Array.isArray(rawOptions)) {
    reject('field "options" must be an object like {"A": "…", "B": "…"}');
  }
  const options = checkOptions(rawOptions as Record<string, unknown>);
  const letter = checkLetter(stringField(row, "answer_idx"), options, "answer_idx");

  // `answer` repeats the correct option's text. When it disagrees with answer_idx one of them is wrong, and
  // scoring against a wrong reference is worse than losing the row.
  const answer = row.answer;
  if (answer !== undefined && answer !== null) {
    if (typeof answer !== "string") reject(`field "answer" must be a string, got ${typeof answer}`);
    if (comparable(answer) !== comparable(options[letter]!)) {
      reject(
        `answer ${JSON.stringify(answer)} does not match option ${letter} (answer_idx), which is ${JSON.stringify(options[letter])}`,
      );
    }
  }
  return { caseText, options, referenceLetter: letter, referenceReasoning: null };
}
