import type { Options } from "@/lib/schemas/options";
import { formatOptionsLiteral, OptionsLiteralError, parseOptionsLiteralAt } from "./options-literal";

/**
 * The dataset's `input` field: `Q:{case}? \n{options},`. The case usually ends in its own '?', so
 * the data reads "??"; that doubling is what the model was trained on, so it is kept.
 */
export function buildInput(caseText: string, options: Options): string {
  return `Q:${caseText}? \n${formatOptionsLiteral(options)},`;
}

const STRICT_PREFIX = "Q:";
const STRICT_SEPARATOR = "? \n";

/**
 * Inverse of buildInput. Input in the exact dataset form is split byte for byte, so
 * buildInput(parseInput(x)) === x. Anything else (hand-typed, re-wrapped) is read leniently:
 * surrounding whitespace, the `Q:` marker and the trailing comma are optional. Only a missing or
 * malformed options literal at the end is an error, since without it there is no question to ask.
 */
export function parseInput(input: string): { caseText: string; options: Options } {
  const literal = findTrailingLiteral(input);
  const before = input.slice(0, literal.start);
  const caseText =
    before.startsWith(STRICT_PREFIX) && before.endsWith(STRICT_SEPARATOR)
      ? before.slice(STRICT_PREFIX.length, -STRICT_SEPARATOR.length)
      : lenientCaseText(before);
  if (caseText.trim() === "") throw new Error("input has no case text before the options literal");
  return { caseText, options: literal.options };
}

function lenientCaseText(before: string): string {
  let text = before.trim();
  if (text.startsWith(STRICT_PREFIX)) text = text.slice(STRICT_PREFIX.length).trimStart();
  // "??" is the case's own '?' plus the separator's; keep one so buildInput restores the pair.
  if (text.endsWith("??")) text = text.slice(0, -1);
  return text;
}

/** The options literal that runs to the end of the input (bar whitespace and one comma). */
function findTrailingLiteral(input: string): { options: Options; start: number } {
  // Reported when nothing parses: the problem at a '{' opening a line is the likeliest to be the
  // user's options; a '{' inside the case text is noise.
  let best: { problem: string; atLineStart: boolean } | null = null;
  for (let start = input.indexOf("{"); start !== -1; start = input.indexOf("{", start + 1)) {
    let problem: string;
    try {
      const { options, end } = parseOptionsLiteralAt(input, start);
      if (/^\s*,?\s*$/.test(input.slice(end))) return { options, start };
      problem = `unexpected text after the options literal at offset ${end}: ${JSON.stringify(input.slice(end, end + 30))}`;
    } catch (error) {
      if (!(error instanceof OptionsLiteralError)) throw error;
      problem = error.message;
    }
    const atLineStart = isAtLineStart(input, start);
    if (best === null || atLineStart || !best.atLineStart) best = { problem, atLineStart };
  }
  throw new Error(
    "input does not end with an options literal like {'A': '...', 'B': '...'} (optionally followed by ',')" +
      (best ? `: ${best.problem}` : ": no '{' found"),
  );
}

function isAtLineStart(text: string, pos: number): boolean {
  let i = pos - 1;
  while (i >= 0 && (text[i] === " " || text[i] === "\t")) i -= 1;
  return i < 0 || text[i] === "\n";
}
