import { describe, expect, it } from "vitest";
import type { Options } from "@/lib/schemas/options";
import { formatOptionsLiteral, OptionsLiteralError, parseOptionsLiteral } from "./options-literal";

describe("formatOptionsLiteral", () => {
  it("writes keys in letter order whatever the object's key order", () => {
    const options = { B: "Beta", A: "Alpha" } as Options;
    expect(formatOptionsLiteral(options)).toBe("{'A': 'Alpha', 'B': 'Beta'}");
  });

  it("writes 4- and 5-option items", () => {
    expect(formatOptionsLiteral({ A: "a", B: "b's", C: "c", D: "d" })).toBe(
      `{'A': 'a', 'B': "b's", 'C': 'c', 'D': 'd'}`,
    );
    expect(formatOptionsLiteral({ A: "a", B: "b", C: "c", D: "d", E: 'e\n"' })).toBe(
      `{'A': 'a', 'B': 'b', 'C': 'c', 'D': 'd', 'E': 'e\\n"'}`,
    );
  });
});

describe("parseOptionsLiteral", () => {
  it("round-trips 2-, 4- and 5-option items", () => {
    const items: Options[] = [
      { A: "yes", B: "no" },
      { A: "a", B: "Bowen's disease", C: `it's "x"`, D: "back\\slash" },
      { A: "0.85", B: "0.15", C: "0.10", D: "0.90", E: '0.05\n"' },
    ];
    for (const item of items) expect(parseOptionsLiteral(formatOptionsLiteral(item))).toEqual(item);
  });

  it("reads Python escapes and either quote style", () => {
    const literal = String.raw`{"A": 'tab\there', 'B': "q\"uote\'s", 'C': '\x41\u00e9\U0001F600\101\0', 'D': 'un\known', 'E': 'bell\a'}`;
    expect(parseOptionsLiteral(literal)).toEqual({
      A: "tab\there",
      B: `q"uote's`,
      C: "Aé😀A\0",
      D: "un\\known",
      E: "bell\x07",
    });
  });

  it("allows whitespace, newlines and a trailing comma inside the braces", () => {
    expect(parseOptionsLiteral("  {\n 'A' : 'x' ,\n 'B':'y',\n}  ")).toEqual({ A: "x", B: "y" });
  });

  it("accepts keys out of order", () => {
    expect(parseOptionsLiteral("{'B': 'y', 'A': 'x'}")).toEqual({ A: "x", B: "y" });
  });

  it.each([
    ["not a dict", "['A', 'B']", /expected '\{'/],
    ["unterminated dict", "{'A': 'x', 'B': 'y'", /missing '\}'/],
    ["unterminated string", "{'A': 'x, 'B': 'y'}", /expected ',' or '\}' after option A/],
    ["string runs to end", "{'A': 'x', 'B': 'y}", /unterminated string/],
    ["unquoted key", "{A: 'x', B: 'y'}", /expected a quoted option letter/],
    ["unquoted value", "{'A': x, 'B': 'y'}", /expected a quoted string for option A/],
    ["missing colon", "{'A' 'x', 'B': 'y'}", /expected ':' after key 'A'/],
    ["missing comma", "{'A': 'x' 'B': 'y'}", /expected ',' or '\}' after option A/],
    ["key outside A–E", "{'A': 'x', 'F': 'y'}", /option key 'F' is not one of A, B, C, D, E/],
    ["lowercase key", "{'a': 'x', 'b': 'y'}", /option key 'a' is not one of/],
    ["duplicate key", "{'A': 'x', 'A': 'y'}", /option A appears twice/],
    ["gap in letters", "{'A': 'x', 'B': 'y', 'D': 'z'}", /consecutive from A, got A, B, D \(C is missing\)/],
    ["no A", "{'B': 'x', 'C': 'y'}", /consecutive from A.*A is missing/],
    ["one option", "{'A': 'x'}", /at least 2 options/],
    ["empty dict", "{}", /at least 2 options/],
    ["empty option", "{'A': 'x', 'B': '  '}", /option B is empty/],
    ["trailing text", "{'A': 'x', 'B': 'y'},", /unexpected text after the closing '\}'/],
    ["bad hex escape", String.raw`{'A': '\xZZ', 'B': 'y'}`, /invalid \\x escape/],
    ["named escape", String.raw`{'A': '\N{BULLET}', 'B': 'y'}`, /\\N\{name\} escapes are not supported/],
    ["triple quotes", "{'A': '''x''', 'B': 'y'}", /triple-quoted/],
    ["raw newline in string", "{'A': 'x\ny', 'B': 'z'}", /unterminated string/],
  ])("rejects %s", (_name, literal, message) => {
    expect(() => parseOptionsLiteral(literal)).toThrow(message);
  });

  it("says where the problem is", () => {
    try {
      parseOptionsLiteral("{'A': 'x', 'B' 'y'}");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(OptionsLiteralError);
      expect((error as OptionsLiteralError).offset).toBe(15);
      expect((error as Error).message).toMatch(/at offset 15, near ".*'B' 'y'/);
    }
  });
});
