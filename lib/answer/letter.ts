import { offeredLetters, type Letter, type Options } from "@/lib/schemas/options";

/**
 * Reading an option letter out of free text. The rule throughout: only an explicit answer counts.
 * Capitals in prose ("A 45-year-old", "Vitamin B", "E. coli") must never become answers, so a
 * letter is accepted only where it stands as a token followed by answer punctuation.
 */

/** A letter the reply chose; `null` letter means it chose one the question does not offer. */
export type Choice = { letter: Letter | null };

const norm = (s: string) => s.normalize("NFKC").replace(/\s+/g, " ").trim().toLowerCase();

function toChoice(raw: string, options: Options): Choice {
  const letter = raw.toUpperCase() as Letter;
  return { letter: options[letter] !== undefined ? letter : null };
}

/**
 * Whether the letter at `at` is an answer token, judged by what follows on its line. `open` is the
 * bracket before it, if any, which must be closed right after the letter.
 */
function isAnswerToken(text: string, at: number, open: string, options: Options): boolean {
  const lineEnd = text.indexOf("\n", at);
  let rest = text.slice(at + 1, lineEnd === -1 ? text.length : lineEnd);
  if (open) return rest.startsWith(open === "(" ? ")" : "]");
  rest = rest.replace(/^\*+/, "");
  if (rest.trim() === "" || /^[)\]:]/.test(rest)) return true;
  // "A. Schizoid…" yes; "E. coli" no.
  if (rest.startsWith(".")) return /^\.(\s*$|\s+[^\sa-z])/.test(rest);
  if (/^\s+[-–—]\s/.test(rest)) return true;
  // "D Altered RET…" only when the words are that option's own text.
  const own = options[text[at]!.toUpperCase() as Letter];
  return /^\s/.test(rest) && own !== undefined && norm(rest) === norm(own);
}

// "Answer: D", "The answer is (D)", "**Answer:** D", "answer would be option D".
const ANSWER_STATEMENT =
  /\banswer\**(?:[ \t]+(?:is|would[ \t]+be|should[ \t]+be)\**(?:[ \t]*:)?|[ \t]*:)[ \t]*(?:\*+[ \t]*)?(?:(?:option|choice)[ \t]+)?([([]?)(?=[A-Ea-e](?![A-Za-z0-9]))/gi;

/** The last explicit "answer is X" statement in the text. */
export function answerStatement(text: string, options: Options): Choice | null {
  let found: Choice | null = null;
  for (const m of text.matchAll(ANSWER_STATEMENT)) {
    const at = m.index + m[0].length;
    if (isAnswerToken(text, at, m[1]!, options)) found = toChoice(text[at]!, options);
  }
  return found;
}

const LINE_LABEL = /^[ \t]*(?:\*+[ \t]*)?([([]?)(?=[A-Ea-e](?![A-Za-z0-9]))/;

/**
 * A line that starts with "(X)", "X)" or "X:" among the last few lines. More than one such line
 * there is a list of the options, not an answer.
 */
export function lineLabelNearEnd(text: string, options: Options, lastLines = 3): Choice | null {
  const lines = text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .slice(-lastLines);
  const labels: string[] = [];
  for (const line of lines) {
    const m = LINE_LABEL.exec(line);
    if (!m) continue;
    const at = m[0].length;
    const next = line[at + 1];
    if (m[1] ? isAnswerToken(line, at, m[1], options) : next === ")" || next === ":") labels.push(line[at]!);
  }
  return labels.length === 1 ? toChoice(labels[0]!, options) : null;
}

// An answer block's own wording before the letter: "Answer:", "The correct answer is", "Option".
const BLOCK_LEAD =
  /^[\s*]*(?:(?:the[ \t]+)?(?:(?:correct|final|best)[ \t]+)?answer(?:[ \t]+is)?(?:[ \t]*:)?[\s*]*)?(?:(?:option|choice)[ \t]+)?([([]?)(?=[A-Ea-e](?![A-Za-z0-9]))/i;

/** What an <answer> block says: a choice, or null when it names nothing recognisable. */
export function choiceInBlock(content: string, options: Options): Choice | null {
  const text = content.trim();
  if (text === "") return null;
  const byText = optionByText(text, options);
  if (byText) return { letter: byText };
  const lead = BLOCK_LEAD.exec(text);
  if (lead && isAnswerToken(text, lead[0].length, lead[1]!, options)) return toChoice(text[lead[0].length]!, options);
  return answerStatement(text, options) ?? lineLabelNearEnd(text, options, Infinity);
}

const ANSWER_LABEL = /^(?:the[ \t]+)?(?:(?:correct|final|best)[ \t]+)?answer(?:[ \t]+is)?[ \t]*:?/i;

/** The block is exactly one option's text (the model wrote the answer without its letter). */
function optionByText(text: string, options: Options): Letter | null {
  // Quotes, emphasis and a final full stop are the model's wrapping, not part of the answer.
  const bare = (s: string) => norm(trimChars(trimChars(s, WRAPPING, "start"), WRAPPING_END, "end"));
  const said = [bare(text), bare(text.replace(ANSWER_LABEL, ""))];
  const matches = offeredLetters(options).filter((l) => said.includes(bare(options[l]!)));
  return matches.length === 1 ? matches[0]! : null;
}

const WRAPPING = new Set(['"', "'", "*", "`"]);
const WRAPPING_END = new Set([...WRAPPING, "."]);

// A loop, not a /…$/ regex: that would rescan long whitespace runs from every position.
function trimChars(s: string, chars: Set<string>, side: "start" | "end"): string {
  let start = 0;
  let end = s.length;
  const strip = (c: string | undefined) => c !== undefined && (chars.has(c) || /\s/.test(c));
  if (side === "start") while (start < end && strip(s[start])) start += 1;
  else while (end > start && strip(s[end - 1])) end -= 1;
  return s.slice(start, end);
}
