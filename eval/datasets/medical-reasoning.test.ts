import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildInput } from "@/lib/prompt";
import { hasShared, sharedPath } from "@/test-support/shared-data";
import { importDataset } from "./import";

const INSTRUCTION =
  "Please answer with one of the option in the bracket. Write reasoning in between <analysis></analysis>. Write answer in between <answer></answer>.";
const row = (input: string, output: string) => JSON.stringify({ instruction: INSTRUCTION, input, output });
const answer = (letter: string, text: string, analysis = "Short reasoning.") =>
  `<analysis>\n\n${analysis}\n</analysis>\n<answer>\n${letter}: ${text}\n</answer>`;

const FIVE = `{'A': 'Asthma', 'B': "Hodgkin's lymphoma", 'C': 'Sarcoidosis', 'D': 'GERD', 'E': "Crohn's disease"}`;
const QUOTED_INPUT = `Q:A 30-year-old woman has a dry cough and hilar nodes. Which is most likely?? \n${FIVE},`;
const UNICODE_INPUT =
  "Q:A 60-year-old man (心肌梗死 last year 🫀) takes 25 µg of levothyroxine. Which drug should be avoided?? \n" +
  "{'A': 'β-blocker', 'B': '25 µg more levothyroxine', 'C': '阿司匹林 (aspirin)', 'D': 'Nothing 🙂'},";

describe("medical-reasoning JSONL", () => {
  it("reads case, options, reference letter and reasoning, keeping double-quoted apostrophes and unicode exactly", () => {
    const text = [
      row(QUOTED_INPUT, answer("B", "Hodgkin's lymphoma", "Hilar nodes and cough: think lymphoma.")),
      row(UNICODE_INPUT, answer("A", "β-blocker")),
    ].join("\n");
    const result = importDataset(text);
    expect(result.format).toBe("medical-reasoning");
    expect(result.rejected).toEqual([]);
    expect(result.items).toEqual([
      {
        sourceLine: 1,
        caseText: "A 30-year-old woman has a dry cough and hilar nodes. Which is most likely?",
        options: { A: "Asthma", B: "Hodgkin's lymphoma", C: "Sarcoidosis", D: "GERD", E: "Crohn's disease" },
        referenceLetter: "B",
        referenceReasoning: "Hilar nodes and cough: think lymphoma.",
      },
      {
        sourceLine: 2,
        caseText:
          "A 60-year-old man (心肌梗死 last year 🫀) takes 25 µg of levothyroxine. Which drug should be avoided?",
        options: { A: "β-blocker", B: "25 µg more levothyroxine", C: "阿司匹林 (aspirin)", D: "Nothing 🙂" },
        referenceLetter: "A",
        referenceReasoning: "Short reasoning.",
      },
    ]);
    // Byte-exact: the stored item rebuilds the very `input` the model was trained on.
    expect(buildInput(result.items[0]!.caseText, result.items[0]!.options)).toBe(QUOTED_INPUT);
    expect(buildInput(result.items[1]!.caseText, result.items[1]!.options)).toBe(UNICODE_INPUT);
  });

  it("rejects broken rows with their line number and a reason, keeps the good ones, and skips blank lines", () => {
    const good = row(QUOTED_INPUT, answer("D", "GERD"));
    const lines = [
      good, // 1
      "", // 2 blank: skipped
      row(UNICODE_INPUT, answer("C", "阿司匹林 (aspirin)")), // 3
      `{"instruction": "x", "input": "Q:broken`, // 4 bad JSON
      JSON.stringify({ instruction: INSTRUCTION, input: QUOTED_INPUT }), // 5 no output
      row(QUOTED_INPUT, answer("F", "Sarcoma")), // 6 letter beyond A–E
      row(UNICODE_INPUT, answer("E", "Warfarin")), // 7 E on a 4-option question
      row(QUOTED_INPUT, "<analysis>\nthinking\n</analysis>"), // 8 no answer block
      row("Q:What is the diagnosis?", answer("A", "x")), // 9 no options literal
      row("Q:Pick one?? \n{'A': 'x', 'B': 'y', 'D': 'z'},", answer("A", "x")), // 10 gap in options
      row("Q:Pick one?? \n{'A': 'x', 'B': '  ', 'C': 'z'},", answer("A", "x")), // 11 empty option
      row(QUOTED_INPUT, `${answer("A", "Asthma")}\n<answer>\nB\n</answer>`), // 12 two answers
      "[1, 2]", // 13 not an object
      row(QUOTED_INPUT, "<analysis>\nx\n</analysis>\n<answer>\nSarcoidosis\n</answer>"), // 14 answer as text only
      "   ", // 15 whitespace-only: skipped
      JSON.stringify({ instruction: INSTRUCTION, input: 42, output: "x" }), // 16 wrong type
    ];
    const result = importDataset(lines.join("\n"));
    expect(result.items.map((i) => [i.sourceLine, i.referenceLetter])).toEqual([
      [1, "D"],
      [3, "C"],
      [14, "C"],
    ]);
    const reasons = Object.fromEntries(result.rejected.map((r) => [r.line, r.reason]));
    expect(Object.keys(reasons).map(Number)).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 16]);
    expect(reasons[4]).toMatch(/^invalid JSON/);
    expect(reasons[5]).toBe('missing field "output"');
    expect(reasons[6]).toMatch(/"F" is not an option letter/);
    expect(reasons[7]).toBe("the reference answer E is not among the options (A, B, C, D)");
    expect(reasons[8]).toMatch(/no <answer>/);
    expect(reasons[9]).toMatch(/^field "input": input does not end with an options literal/);
    expect(reasons[10]).toMatch(/consecutive from A/);
    expect(reasons[11]).toMatch(/option B is empty/);
    expect(reasons[12]).toMatch(/2 <answer> blocks/);
    expect(reasons[13]).toMatch(/not a JSON object/);
    expect(reasons[16]).toBe('field "input" must be a string, got number');
  });

  it("reads a CRLF file exactly like the LF one", () => {
    const lf = [
      row(QUOTED_INPUT, answer("B", "Hodgkin's lymphoma")),
      row(UNICODE_INPUT, answer("A", "β-blocker")),
    ].join("\n");
    expect(importDataset(lf.replace(/\n/g, "\r\n") + "\r\n")).toEqual(importDataset(lf));
  });

  it("does not take the capital that starts a sentence for an answer letter", () => {
    const result = importDataset(row(QUOTED_INPUT, "<answer>\nA patient like this needs imaging\n</answer>"));
    expect(result.items).toEqual([]);
    expect(result.rejected[0]!.reason).toMatch(/cannot read an option letter/);
  });
});

describe.skipIf(!hasShared)("the shared 93-row test split", () => {
  const text = hasShared ? readFileSync(sharedPath("data", "medical-reasoning-test93.jsonl"), "utf8") : "";
  const rows = text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as { input: string; output: string });

  it("imports all 93 rows with no rejections", () => {
    const result = importDataset(text, { filename: "medical-reasoning-test93.jsonl" });
    expect(result.format).toBe("medical-reasoning");
    expect(result.rejected).toEqual([]);
    expect(result.items).toHaveLength(93);
    expect(result.items.map((i) => i.sourceLine)).toEqual(rows.map((_, i) => i + 1));
  });

  it("takes each reference letter from the <answer> block, matching the file's letter counts", () => {
    const fromFile: Record<string, number> = {};
    for (const r of rows) {
      const letter = /<answer>\s*([A-E]):/.exec(r.output)![1]!;
      fromFile[letter] = (fromFile[letter] ?? 0) + 1;
    }
    const imported: Record<string, number> = {};
    for (const item of importDataset(text).items)
      imported[item.referenceLetter] = (imported[item.referenceLetter] ?? 0) + 1;
    expect(imported).toEqual(fromFile);
    expect(importDataset(text).items[0]!.referenceLetter).toBe("D");
  });

  it("keeps every case and option byte for byte, including the double-quoted options", () => {
    const items = importDataset(text).items;
    items.forEach((item, i) => expect(buildInput(item.caseText, item.options)).toBe(rows[i]!.input));
    // Rows whose options literal has a double-quoted option (text with an apostrophe). ../shared/README.md says 9;
    // the file has 5, so the count is taken from the file.
    const quotedRows = rows.filter((r) => /'[A-E]': "/.test(r.input)).length;
    expect(quotedRows).toBeGreaterThan(0);
    expect(items.filter((it) => Object.values(it.options).some((o) => o.includes("'"))).length).toBe(quotedRows);
    expect(items.every((it) => Object.keys(it.options).join("") === "ABCDE")).toBe(true);
  });

  it("keeps the <analysis> text as the reference reasoning, without the tags", () => {
    const first = importDataset(text).items[0]!;
    expect(first.referenceReasoning).toMatch(/^Based on the patient's symptoms/);
    expect(first.referenceReasoning).toMatch(/E\) Menin - causes endocrine tumors but not hypercalcemia$/);
    expect(first.referenceReasoning).not.toMatch(/<\/?analysis>/);
  });
});
