/**
 * Multiple-choice CSV in the MedMCQA column layout: `question, opa, opb, opc, opd`, optional `ope`, the answer as
 * `answer_idx` (a letter) or `cop` (1-based option number: 1 = opa), and an optional `explanation` (MedMCQA calls
 * it `exp`). Other columns (id, subject_name, …) are ignored. Column names are matched case-insensitively.
 */
import { LETTERS, type Letter } from "@/lib/schemas/options";
import { checkCaseText, checkLetter, checkOptions, DatasetFormatError, reject, type ItemFields } from "./validate";

export const MCQ_CSV_REQUIRED = ["question", "opa", "opb", "opc", "opd"] as const;
const OPTION_COLUMNS = ["opa", "opb", "opc", "opd", "ope"] as const;
const EXPLANATION_COLUMNS = ["explanation", "exp"] as const;

export type McqCsvLayout = {
  /** Number of header fields; every record must have exactly as many. */
  width: number;
  /** Column index of each option, A first (4 or 5 of them). */
  options: number[];
  question: number;
  answerIdx: number | null;
  cop: number | null;
  explanation: number | null;
};

/** The layout the header describes, or what it lacks (so detection can explain itself). */
export function readMcqHeader(header: string[]): { layout: McqCsvLayout } | { missing: string[] } {
  const names = header.map((h) => h.trim().toLowerCase());
  const at = (name: string) => {
    const first = names.indexOf(name);
    if (first !== -1 && names.indexOf(name, first + 1) !== -1) {
      throw new DatasetFormatError(`CSV header has the column "${name}" twice; which one holds the data is ambiguous`);
    }
    return first === -1 ? null : first;
  };
  const missing: string[] = MCQ_CSV_REQUIRED.filter((c) => at(c) === null);
  const answerIdx = at("answer_idx");
  const cop = at("cop");
  if (answerIdx === null && cop === null) missing.push("answer_idx or cop");
  if (missing.length > 0) return { missing };
  const explanation = EXPLANATION_COLUMNS.map(at).find((i) => i !== null) ?? null;
  return {
    layout: {
      width: header.length,
      options: OPTION_COLUMNS.map(at).filter((i): i is number => i !== null),
      question: at("question")!,
      answerIdx,
      cop,
      explanation,
    },
  };
}

export function mcqCsvItem(fields: string[], layout: McqCsvLayout): ItemFields {
  if (fields.length !== layout.width) {
    reject(
      `has ${fields.length} fields but the header has ${layout.width}` +
        (fields.length > layout.width ? " (a comma inside a field? put that field in double quotes)" : ""),
    );
  }
  // Spreadsheet exports pad cells with spaces; the text itself is kept as written.
  const cell = (i: number) => fields[i]!.trim();
  const caseText = checkCaseText(cell(layout.question), 'column "question"');

  // Empty trailing option cells mean "not offered" (a 4-option row in a file with an ope column); an empty cell
  // before a filled one stays "" so the options check reports the gap.
  const texts = layout.options.map(cell);
  while (texts.length > 0 && texts[texts.length - 1] === "") texts.pop();
  const raw: Record<string, string> = {};
  texts.forEach((text, i) => (raw[LETTERS[i]!] = text));
  const options = checkOptions(raw);

  let letter: Letter | null = null;
  if (layout.answerIdx !== null) letter = checkLetter(cell(layout.answerIdx), options, "answer_idx");
  if (layout.cop !== null) {
    const fromCop = copLetter(cell(layout.cop), layout.options.length, options);
    if (letter !== null && fromCop !== letter)
      reject(`answer_idx ${letter} and cop ${cell(layout.cop)} (= ${fromCop}) disagree`);
    letter = fromCop;
  }
  const explanation = layout.explanation === null ? "" : cell(layout.explanation);
  return { caseText, options, referenceLetter: letter!, referenceReasoning: explanation === "" ? null : explanation };
}

/** `cop` is 1-based here (1 = opa), as the MedMCQA CSV this layout comes from uses it. */
function copLetter(value: string, columns: number, options: ItemFields["options"]): Letter {
  const range = `1–${columns}, where 1 = opa`;
  if (!/^\d+$/.test(value)) reject(`cop ${JSON.stringify(value)} is not a whole number (${range})`);
  const n = Number(value);
  if (n < 1 || n > columns) reject(`cop ${n} is out of range (${range})`);
  const letter = LETTERS[n - 1]!;
  if (options[letter] === undefined)
    reject(`cop ${n} points at option ${letter} (op${letter.toLowerCase()}), which is empty`);
  return letter;
}
