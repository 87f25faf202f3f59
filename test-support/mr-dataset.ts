/**
 * Medical-reasoning JSONL written by tests, in the shape of ../shared/data/medical-reasoning-test93.jsonl, and
 * recordings files in the stand-ins' format for it. Written out independently of lib/prompt, so that the code under
 * test does not build its own test input.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { sha256_16 } from "./recorded-replies";

export const MR_INSTRUCTION =
  "Please answer with one of the option in the bracket. Write reasoning in between <analysis></analysis>. Write answer in between <answer></answer>.";

export type Options = Record<string, string>;

/** The options as the Python dict literal a row's `input` holds: {'A': 'Asthma', 'B': 'Sarcoidosis'}. */
export const optionsLiteral = (options: Options) =>
  `{${Object.entries(options)
    .map(([k, v]) => `'${k}': '${v}'`)
    .join(", ")}}`;

/** A row's `input`: the case, then the options literal. */
export const mrInput = (caseText: string, options: Options) => `Q:${caseText}? \n${optionsLiteral(options)},`;

/** A reply in the fine-tune's format naming `letter`, which is also the format of a row's reference `output`. */
export const mrAnswer = (letter: string, options: Options, reasoning: string) =>
  `<analysis>\n${reasoning}\n</analysis>\n<answer>\n${letter}: ${options[letter]}\n</answer>`;

/** One JSONL line of a medical-reasoning dataset, with `letter` as its reference answer. */
export const mrRow = (
  caseText: string,
  options: Options,
  letter: string,
  reasoning: string,
  instruction = MR_INSTRUCTION,
) => JSON.stringify({ instruction, input: mrInput(caseText, options), output: mrAnswer(letter, options, reasoning) });

/** What the fine-tune (medgpt) and the base model (base) replied to the row whose input is `input`. */
export type Recording = { index: number; input: string; medgpt: string; base: string };

/**
 * Writes recordings.jsonl into `dir` as recorded-responses-test93.jsonl is: two lines per case, one per model; returns
 * its path. The stand-ins find a case by its input in the prompt, so the rest of the prompt only has to look like the
 * recorded ones.
 */
export function writeRecordings(dir: string, recordings: Recording[]): string {
  const file = path.join(dir, "recordings.jsonl");
  const lines = recordings.flatMap(({ index, input, medgpt, base }) => {
    const prompt = `<start_of_turn>user Below is an instruction. ${MR_INSTRUCTION} here are the inputs ${input} <end_of_turn>\n<start_of_turn>`;
    const common = { index, input_sha256_16: sha256_16(input), prompt };
    return [
      JSON.stringify({ ...common, model: "mrizwank97/medgpt", response: medgpt }),
      JSON.stringify({ ...common, model: "gemma-2-2b-it", response: base }),
    ];
  });
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}
