/**
 * The medical-reasoning format (Hugging Face `mamachang/medical-reasoning`, the data the model was fine-tuned on):
 * `{instruction, input, output}` per JSONL line, where `input` is `Q:{case}? \n{Python dict of options},` and
 * `output` is `<analysis>…</analysis>` then `<answer>\nD: option text\n</answer>`.
 */
import { choiceInBlock } from "@/lib/answer/letter";
import { findBlocks, type Block } from "@/lib/answer/tags";
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
  // The reply parser's tag reader; only closed blocks count, since a reference answer is complete or it is damaged.
  const blocks = findBlocks(output);
  const analysis = closedContents(blocks.analysis)[0]?.trim();
  return {
    caseText,
    options,
    referenceLetter: referenceLetter(closedContents(blocks.answer), options),
    referenceReasoning: analysis ? analysis : null,
  };
}

const closedContents = (blocks: Block[]) => blocks.filter((b) => b.closed).map((b) => b.content);

/** A leading letter like "F:" or "(F)", used only to say which letter was given when it is not an option. */
const LEADING_LETTER = /^\(?([A-Za-z])\)?(?=$|\s*[:)\]])/;

/** The reference letter from the single `<answer>` block; a letter the question does not offer rejects the row. */
function referenceLetter(blocks: string[], options: Options): Letter {
  if (blocks.length === 0) reject('field "output" has no <answer>…</answer> block');
  if (blocks.length > 1) reject(`field "output" has ${blocks.length} <answer> blocks; expected one`);
  const content = blocks[0]!.trim();
  // The same reader that grades model replies: "D: text", "(D)", "Answer: D" or the option's text alone, and it
  // never takes "A 45-year-old…" or "E. coli" for a letter.
  const chosen = choiceInBlock(content, options)?.letter;
  if (chosen) return chosen;
  const lead = LEADING_LETTER.exec(content);
  if (lead) checkLetter(lead[1]!, options, "the reference answer"); // throws: the letter is not offered
  reject(
    `cannot read an option letter (${offeredLetters(options).join(", ")}) from the <answer> block: ${JSON.stringify(content.slice(0, 80))}`,
  );
}
