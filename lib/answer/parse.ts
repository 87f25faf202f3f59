import type { Letter, Options } from "@/lib/schemas/options";
import { answerStatement, choiceInBlock, lineLabelNearEnd, type Choice } from "./letter";
import { findBlocks, stripLeadingModel, withoutBlocks, type Blocks } from "./tags";

export type ParsedAnswer = {
  /** The reasoning: the <analysis> block, or the whole reply less its answer when untagged. */
  analysis: string;
  /** The chosen option, with the text from the question's own options; null when none was named clearly. */
  answer: { letter: Letter; text: string } | null;
  /**
   * The reply followed the trained format: a closed, non-empty <analysis> block and a closed,
   * non-empty <answer> block. Closing tags are required because a reply cut off mid-block did not
   * complete the format (the earlier judge scored a missing block 0); non-empty because base models
   * echo the instruction's literal "<analysis></analysis> … <answer></answer>".
   */
  formatOk: boolean;
};

/** Reads a model's reply against the options it was asked about. Never guesses a letter. */
export function parseAnswer(reply: string, options: Options): ParsedAnswer {
  const text = stripLeadingModel(reply);
  const blocks = findBlocks(text);
  const choice = chooseLetter(text, blocks, options);
  const complete = (b: { closed: boolean; content: string }) => b.closed && b.content.trim() !== "";

  const tagged = blocks.analysis.find((b) => b.content.trim() !== "") ?? blocks.analysis[0];
  const analysis = tagged ? tagged.content : withoutBlocks(text, blocks.answer);

  return {
    analysis: analysis.trim(),
    answer: choice?.letter ? { letter: choice.letter, text: options[choice.letter]! } : null,
    formatOk: blocks.analysis.some(complete) && blocks.answer.some(complete),
  };
}

function chooseLetter(text: string, blocks: Blocks, options: Options): Choice | null {
  // The last answer block that names anything is the model's final word, even when that is a
  // letter the question lacks: an invalid final answer is no answer, not a cue to look elsewhere.
  for (const block of [...blocks.answer].reverse()) {
    const choice = choiceInBlock(block.content, options);
    if (choice) return choice;
  }
  const outside = withoutBlocks(text, blocks.answer);
  // A bare "X)" line inside the reasoning is usually the model listing the options, so line labels
  // only count outside <analysis>; an explicit "the answer is X" counts anywhere.
  return (
    answerStatement(outside, options) ?? lineLabelNearEnd(withoutBlocks(outside, findBlocks(outside).analysis), options)
  );
}
