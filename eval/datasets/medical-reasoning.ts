/**
 * The medical-reasoning format (Hugging Face `mamachang/medical-reasoning`, the data the model was fine-tuned on):
 * `{instruction, input, output}` per JSONL line, where `input` is `Q:{case}? \n{Python dict of options},` and
 * `output` is `<analysis>…</analysis>` then `<answer>\nD: option text\n</answer>`.
 */
import { parseAnswer } from "@/lib/answer";
import { parseInput } from "@/lib/prompt";
import { offeredLetters, type Letter, type Options } from "@/lib/schemas/options";
import { checkCaseText, checkLetter, checkOptions, reject, stringField, type ItemFields } from "./validate";

export const MEDICAL_REASONING_FIELDS = ["instruction", "input", "output"] as const;

export function medicalReasoningItem(row: Record<string, unknown>): ItemFields {
  // `instruction` is the fixed training instruction; the app builds its own prompt, so it is not needed per row.
  const input = stringField(row, "input");
  const output = stringField(row, "output");

  let parsed: ReturnType<typeof parseInput>;
  try {
    // The one parser of the `input` field (Python-literal quoting included), shared with the prompt builder.
    parsed = parseInput(input);
  } catch (error) {
    reject(`field "input": ${error instanceof Error ? error.message : String(error)}`);
  }
  const caseText = checkCaseText(parsed.caseText, 'the case text in "input"');
  const options = checkOptions(parsed.options);
  return {
    caseText,
    options,
    referenceLetter: referenceLetter(output, options),
    referenceReasoning: blockContent(output, "analysis"),
  };
}

const blocksOf = (text: string, tag: string) => [...text.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, "gi"))].map((m) => m[1]!);

function blockContent(text: string, tag: string): string | null {
  const content = blocksOf(text, tag)[0]?.trim();
  return content ? content : null;
}

/** A leading letter like "F:" or "(F)", used only to say which letter was given when it is not an option. */
const LEADING_LETTER = /^\(?([A-Za-z])\)?(?=$|\s*[:)\]])/;

/** The reference letter from the single `<answer>` block; a letter the question does not offer rejects the row. */
function referenceLetter(output: string, options: Options): Letter {
  const blocks = blocksOf(output, "answer");
  if (blocks.length === 0) reject('field "output" has no <answer>…</answer> block');
  if (blocks.length > 1) reject(`field "output" has ${blocks.length} <answer> blocks; expected one`);
  const content = blocks[0]!.trim();
  // The same reader that grades model replies: "D: text", "(D)", "Answer: D" or the option's text alone, and it
  // never takes "A 45-year-old…" or "E. coli" for a letter.
  const chosen = parseAnswer(`<answer>${content}</answer>`, options).answer;
  if (chosen) return chosen.letter;
  const lead = LEADING_LETTER.exec(content);
  if (lead) checkLetter(lead[1]!, options, "the reference answer"); // throws: the letter is not offered
  reject(`cannot read an option letter (${offeredLetters(options).join(", ")}) from the <answer> block: ${JSON.stringify(content.slice(0, 80))}`);
}
