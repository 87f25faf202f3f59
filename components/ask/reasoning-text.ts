import { findBlocks, stripLeadingModel } from "@/lib/answer/tags";

/**
 * The reasoning as a clinician should read it while it streams: without the `<analysis>`/`<answer>` tags, without
 * the leading "model" some replies start with, and without the answer block (the answer card shows the answer once
 * it is parsed; showing the block's raw text too would repeat it, possibly half-written). The server's parsed
 * `answer.analysis` replaces this as soon as it arrives.
 */
export function streamingReasoning(raw: string): string {
  // The first tokens of a reply that starts with "model" arrive as "m", "mod"…: hide them until they are decided.
  if (raw.trim() !== "" && "model".startsWith(raw.trim())) return "";
  // A tag still being written at the very end ("<ana", "</") is not text.
  const text = stripLeadingModel(raw).replace(/<\/?\s*[a-z]*$/i, "");
  const blocks = findBlocks(text);
  const analysis = blocks.analysis.find((b) => b.content.trim() !== "") ?? blocks.analysis[0];
  if (analysis) return analysis.content.trim();
  // No analysis tag (an untrained model, or one that skipped it): everything before the first answer block.
  const answer = blocks.answer[0];
  return (answer ? text.slice(0, answer.start) : text).trim();
}

/** Paragraphs of the reasoning: blank lines separate them; single line breaks stay inside one. */
export function paragraphs(text: string): string[] {
  return text
    .split(/\n[ \t]*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
}
