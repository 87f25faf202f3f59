import { describe, expect, it } from "vitest";
import { hasShared } from "@/test-support/shared-data";
import { buildInput, parseInput } from "./input";
import { readReasoningRows } from "@/test-support/shared-rows";

describe("buildInput / parseInput", () => {
  it("writes the dataset form", () => {
    expect(buildInput("Which drug?", { A: "x", B: "Bowen's" })).toBe(`Q:Which drug?? \n{'A': 'x', 'B': "Bowen's"},`);
  });

  it("round-trips the exact form byte for byte, including odd case text", () => {
    for (const caseText of [
      "Which?",
      "no question mark",
      "ends with newline?\n ",
      "has {braces} and {'A': 'x'} inside?",
    ]) {
      const input = buildInput(caseText, { A: "a", B: "b", C: "c", D: "d" });
      expect(parseInput(input)).toEqual({ caseText, options: { A: "a", B: "b", C: "c", D: "d" } });
      expect(buildInput(parseInput(input).caseText, parseInput(input).options)).toBe(input);
    }
  });

  it("finds the literal even when an option contains braces", () => {
    const options = { A: "{x}", B: "{'A': 'y', 'B': 'z'}" };
    expect(parseInput(buildInput("Q?", options)).options).toEqual(options);
  });

  it.each([
    ["no trailing comma", "Q:Which?? \n{'A': 'x', 'B': 'y'}", "Which?"],
    ["surrounding whitespace", "  Q:Which?? \n{'A': 'x', 'B': 'y'},  \n", "Which?"],
    ["space after Q:", "Q: Which? \n{'A': 'x', 'B': 'y'},", " Which"],
    ["no Q: marker, one '?'", "Which drug?\n{'A': 'x', 'B': 'y'}", "Which drug?"],
    ["CRLF and '??'", "Q: Which drug??\r\n{'A': 'x', 'B': 'y'},\r\n", "Which drug?"],
    ["literal on the same line", "Which drug? {'A': 'x', 'B': 'y'}", "Which drug?"],
  ])("is lenient about %s", (_name, input, caseText) => {
    expect(parseInput(input)).toEqual({ caseText, options: { A: "x", B: "y" } });
  });

  it.each([
    ["no literal at all", "Q:Which drug?", /no '\{' found/],
    [
      "literal not at the end",
      "Q:Which? \n{'A': 'x', 'B': 'y'}, and more",
      /unexpected text after the options literal/,
    ],
    ["malformed literal", "Q:Which? \n{'A': 'x', 'B' 'y'},", /expected ':' after key 'B'/],
    ["single option", "Q:Which? \n{'A': 'x'},", /at least 2 options/],
    [
      "brace in case text, malformed literal",
      "Q:{see note} Which? \n{'A': 'x' 'B': 'y'},",
      /expected ',' or '\}' after option A/,
    ],
    ["no case text", "Q:? \n{'A': 'x', 'B': 'y'},", /no case text/],
    ["only a literal", "{'A': 'x', 'B': 'y'}", /no case text/],
  ])("throws a clear error for %s", (_name, input, message) => {
    expect(() => parseInput(input)).toThrow(message);
  });
});

describe.skipIf(!hasShared)("parseInput on the 93 test rows", () => {
  const rows = hasShared ? readReasoningRows() : [];

  it("has 93 five-option rows", () => {
    expect(rows).toHaveLength(93);
    for (const row of rows) expect(Object.keys(parseInput(row.input).options)).toEqual(["A", "B", "C", "D", "E"]);
  });

  it("round-trips every row byte for byte", () => {
    for (const row of rows) {
      const { caseText, options } = parseInput(row.input);
      expect(buildInput(caseText, options)).toBe(row.input);
    }
  });

  it("keeps the data's quirks: 9 literals with a '\"', 5 of them double-quoting an option", () => {
    // The data README says "in 9 rows an option is double-quoted". Measured: 9 literals contain a
    // '"', but only 5 write an option in double quotes (it has an apostrophe); the other 4 have an
    // option ending in `\n"` inside single quotes (a scraping artifact, row 2 has both).
    const literals = rows.map((row) => row.input.slice(row.input.lastIndexOf("? \n{") + 3));
    expect(literals.filter((lit) => lit.includes('"')).length).toBe(9);
    const doubleQuoted = rows.filter((row) =>
      Object.values(parseInput(row.input).options).some((t) => t.includes("'")),
    );
    expect(doubleQuoted.length).toBe(5);
    expect(literals.filter((lit) => /': "/.test(lit)).length).toBe(5);
    const artifact = rows.filter((row) => Object.values(parseInput(row.input).options).some((t) => t.endsWith('\n"')));
    expect(artifact.length).toBe(5);
  });
});
