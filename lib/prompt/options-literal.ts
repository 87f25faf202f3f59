import { LETTERS, type Letter, type Options } from "@/lib/schemas/options";
import { pyRepr } from "./pyrepr";

/** The options as Python writes `repr(dict)`: the exact bytes the fine-tune saw in training. */
export function formatOptionsLiteral(options: Options): string {
  const entries: string[] = [];
  for (const letter of LETTERS) {
    const text = options[letter];
    if (text !== undefined) entries.push(`${pyRepr(letter)}: ${pyRepr(text)}`);
  }
  return `{${entries.join(", ")}}`;
}

/** A malformed options literal; `offset` is where in the parsed text the problem was found. */
export class OptionsLiteralError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = "OptionsLiteralError";
  }
}

/**
 * Parses a Python dict literal of option strings, e.g. `{'A': 'x', 'B': "y's"}`. Surrounding
 * whitespace is allowed; anything else around the braces is an error.
 */
export function parseOptionsLiteral(literal: string): Options {
  const start = skipWhitespace(literal, 0);
  const { options, end } = parseOptionsLiteralAt(literal, start);
  const rest = skipWhitespace(literal, end);
  if (rest < literal.length) fail(literal, rest, "unexpected text after the closing '}'");
  return options;
}

/** Parses the literal that starts at `start` (a '{') and reports where it ends, for callers that embed it. */
export function parseOptionsLiteralAt(text: string, start: number): { options: Options; end: number } {
  if (text[start] !== "{") fail(text, start, "expected '{' to start the options literal");
  const found = new Map<string, string>();
  let pos = skipWhitespace(text, start + 1);
  while (text[pos] !== "}") {
    if (pos >= text.length) fail(text, pos, "unterminated options literal: missing '}'");
    const keyAt = pos;
    const key = parseStringAt(text, pos, "a quoted option letter such as 'A'");
    if (!(LETTERS as readonly string[]).includes(key.value)) {
      fail(text, keyAt, `option key ${pyRepr(key.value)} is not one of ${LETTERS.join(", ")}`);
    }
    if (found.has(key.value)) fail(text, keyAt, `option ${key.value} appears twice`);
    pos = skipWhitespace(text, key.end);
    if (text[pos] !== ":") fail(text, pos, `expected ':' after key ${pyRepr(key.value)}`);
    pos = skipWhitespace(text, pos + 1);
    const valueAt = pos;
    const value = parseStringAt(text, pos, `a quoted string for option ${key.value}`);
    if (value.value.trim() === "") fail(text, valueAt, `option ${key.value} is empty`);
    found.set(key.value, value.value);
    pos = skipWhitespace(text, value.end);
    if (text[pos] === ",") pos = skipWhitespace(text, pos + 1);
    else if (pos >= text.length) fail(text, pos, "unterminated options literal: missing '}'");
    else if (text[pos] !== "}") fail(text, pos, `expected ',' or '}' after option ${key.value}`);
  }
  return { options: toOptions(found, text, start), end: pos + 1 };
}

function toOptions(found: Map<string, string>, text: string, at: number): Options {
  // Letters must run A, B, C… without gaps so that a model's letter means one thing.
  const present = LETTERS.filter((l) => found.has(l));
  const gap = LETTERS.findIndex((l) => !found.has(l));
  if (gap !== -1 && present.some((l) => LETTERS.indexOf(l) > gap)) {
    fail(text, at, `option letters must be consecutive from A, got ${present.join(", ")} (${LETTERS[gap]} is missing)`);
  }
  if (present.length < 2) fail(text, at, `at least 2 options (A and B) are required, got ${present.length}`);
  const options: Partial<Record<Letter, string>> = {};
  for (const letter of present) options[letter] = found.get(letter);
  return options as Options;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  "\\": "\\",
  "'": "'",
  '"': '"',
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\n": "",
};

/** One Python string literal (no prefixes, no triple quotes) with Python's escape rules. */
function parseStringAt(text: string, start: number, what: string): { value: string; end: number } {
  const quote = text[start];
  if (quote !== "'" && quote !== '"') fail(text, start, `expected ${what}`);
  if (text.startsWith(quote.repeat(3), start)) fail(text, start, "triple-quoted strings are not supported");
  let value = "";
  let pos = start + 1;
  for (;;) {
    const ch = text[pos];
    if (ch === undefined || ch === "\n" || ch === "\r") fail(text, start, "unterminated string");
    if (ch === quote) return { value, end: pos + 1 };
    if (ch !== "\\") {
      value += ch;
      pos += 1;
      continue;
    }
    const esc = text[pos + 1];
    if (esc === undefined) fail(text, start, "unterminated string");
    const simple = SIMPLE_ESCAPES[esc];
    if (simple !== undefined) {
      value += simple;
      pos += 2;
    } else if (/[0-7]/.test(esc)) {
      const digits = /^[0-7]{1,3}/.exec(text.slice(pos + 1, pos + 4))![0];
      value += String.fromCodePoint(parseInt(digits, 8));
      pos += 1 + digits.length;
    } else if (esc === "x" || esc === "u" || esc === "U") {
      const width = esc === "x" ? 2 : esc === "u" ? 4 : 8;
      const hex = text.slice(pos + 2, pos + 2 + width);
      const code = /^[0-9a-fA-F]+$/.test(hex) && hex.length === width ? parseInt(hex, 16) : NaN;
      if (!(code <= 0x10ffff)) fail(text, pos, `invalid \\${esc} escape: expected ${width} hex digits of a code point`);
      value += String.fromCodePoint(code);
      pos += 2 + width;
    } else if (esc === "N") {
      fail(text, pos, "\\N{name} escapes are not supported");
    } else {
      // Python keeps an unknown escape as the backslash and the character.
      value += `\\${esc}`;
      pos += 2;
    }
  }
}

function skipWhitespace(text: string, pos: number): number {
  while (pos < text.length && /\s/.test(text[pos]!)) pos += 1;
  return pos;
}

function fail(text: string, offset: number, problem: string): never {
  const near = text.slice(Math.max(0, offset - 15), offset + 25);
  throw new OptionsLiteralError(
    `invalid options literal: ${problem} (at offset ${offset}, near ${JSON.stringify(near)})`,
    offset,
  );
}
