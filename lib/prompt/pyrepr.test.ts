import { describe, expect, it } from "vitest";
import { pyRepr } from "./pyrepr";

// Expected values are what CPython 3 prints for repr(s).
describe("pyRepr", () => {
  it.each([
    ["plain", "Mutated NF1 gene", "'Mutated NF1 gene'"],
    ["empty", "", "''"],
    ["apostrophe switches to double quotes", "Gilbert's syndrome", `"Gilbert's syndrome"`],
    ["double quote alone stays single-quoted", 'say "hi"', `'say "hi"'`],
    ["both quote kinds: single quotes, apostrophe escaped", `it's "x"`, `'it\\'s "x"'`],
    ["backslash", "a\\b", "'a\\\\b'"],
    ["newline, tab, carriage return", "a\nb\tc\rd", "'a\\nb\\tc\\rd'"],
    ["dataset artifact: newline then quote", 'Crigler-Najjar syndrome\n"', `'Crigler-Najjar syndrome\\n"'`],
    ["other control characters", "\x00\x07\x1b\x7f", "'\\x00\\x07\\x1b\\x7f'"],
    ["printable non-ASCII kept", "Asperger’s ‘x’ µg β-blocker é 😀", "'Asperger’s ‘x’ µg β-blocker é 😀'"],
    ["non-printable Latin-1 and separators", "a\u00a0b\u00adc", "'a\\xa0b\\xadc'"],
    ["BMP format and separator characters", "\u200b\u2028\u3000", "'\\u200b\\u2028\\u3000'"],
    ["astral unassigned / private use", "\u{e0001}\u{f0000}", "'\\U000e0001\\U000f0000'"],
    ["lone surrogate", "x\ud800y", "'x\\ud800y'"],
  ])("%s", (_name, input, expected) => {
    expect(pyRepr(input)).toBe(expected);
  });
});
