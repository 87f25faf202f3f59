import { describe, expect, it } from "vitest";
import { EXPORT_COLUMNS, toCsv, toJsonl } from "./export";

type Row = Parameters<typeof toCsv>[0][number];

const row = (over: Partial<Row> = {}): Row => ({
  run_id: "run_1",
  item_idx: 0,
  source_line: 1,
  model: "mrizwank97/medgpt",
  reference: "B",
  letter: "B",
  exact: true,
  format_ok: true,
  confidence: 0.8,
  p_A: 0.1,
  p_B: 0.8,
  p_C: 0.1,
  p_D: null,
  p_E: null,
  vote_letter: null,
  vote_exact: null,
  agreement: null,
  status: "ok",
  error: null,
  judge_status: null,
  judge_score: null,
  judge_explanation: null,
  latency_ms: 812.5,
  eval_count: 64,
  tokens_per_second: 41.2,
  attempts: 1,
  case: "A simple case.",
  raw: "<answer>B</answer>",
  ...over,
});

const HEADER = EXPORT_COLUMNS.join(",");

/** The cells of the single data row of toCsv([r]) — only for rows without quoted line breaks. */
const cellsOf = (r: Row) => {
  const lines = toCsv([r]).split("\r\n");
  expect(lines).toHaveLength(3); // header, row, "" after the final CRLF
  return lines[1]!;
};

describe("toCsv", () => {
  it("writes the header alone (with CRLF) for no rows", () => {
    expect(toCsv([])).toBe(`${HEADER}\r\n`);
  });

  it("has the documented columns in order", () => {
    expect([...EXPORT_COLUMNS]).toEqual([
      "run_id",
      "item_idx",
      "source_line",
      "model",
      "reference",
      "letter",
      "exact",
      "format_ok",
      "confidence",
      "p_A",
      "p_B",
      "p_C",
      "p_D",
      "p_E",
      "vote_letter",
      "vote_exact",
      "agreement",
      "status",
      "error",
      "judge_status",
      "judge_score",
      "judge_explanation",
      "latency_ms",
      "eval_count",
      "tokens_per_second",
      "attempts",
      "case",
      "raw",
    ]);
  });

  it("writes plain values as they are: null as empty, booleans as true/false, numbers unquoted", () => {
    expect(cellsOf(row())).toBe(
      "run_1,0,1,mrizwank97/medgpt,B,B,true,true,0.8,0.1,0.8,0.1,,,,,,ok,,,,,812.5,64,41.2,1,A simple case.,<answer>B</answer>",
    );
    expect(cellsOf(row({ exact: false, letter: null, format_ok: null, judge_score: 0 }))).toBe(
      "run_1,0,1,mrizwank97/medgpt,B,,false,,0.8,0.1,0.8,0.1,,,,,,ok,,,0,,812.5,64,41.2,1,A simple case.,<answer>B</answer>",
    );
  });

  it("terminates every record with CRLF, the last one included", () => {
    const csv = toCsv([row(), row({ item_idx: 1 })]);
    expect(csv.endsWith("\r\n")).toBe(true);
    expect(csv.split("\r\n")).toHaveLength(4);
    expect(csv.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  });

  it("quotes cells with commas, double quotes (doubled) and line breaks (RFC 4180)", () => {
    const csv = toCsv([row({ case: 'He said "it hurts, here"\nand left.', raw: "line1\r\nline2", error: "a,b" })]);
    expect(csv).toContain(`,"He said ""it hurts, here""\nand left.","line1\r\nline2"\r\n`);
    expect(csv).toContain(',"a,b",');
    expect(cellsOf(row({ case: 'only "quotes"' }))).toContain(',"only ""quotes""",');
    expect(toCsv([row({ case: "a lone\rCR" })])).toContain(',"a lone\rCR",');
  });

  it("prefixes text a spreadsheet would run as a formula with ', and still quotes it when needed", () => {
    for (const [value, cell] of [
      ["=1+1", "'=1+1"],
      ["+CMD", "'+CMD"],
      ["-2+3", "'-2+3"],
      ["@SUM(A1)", "'@SUM(A1)"],
      ["\tTAB", "'\tTAB"],
      ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
      ["=a,b", `"'=a,b"`],
      ["\r=x", `"'\r=x"`],
    ] as const) {
      expect(toCsv([row({ case: value })])).toContain(`,${cell},<answer>B</answer>\r\n`);
    }
    // Only leading characters count, and numbers are numbers, not formulas.
    expect(cellsOf(row({ case: "a = b" }))).toContain(",a = b,");
    expect(cellsOf(row({ latency_ms: -5 }))).toContain(",-5,");
  });

  it("keeps non-ASCII text as is", () => {
    expect(cellsOf(row({ case: "Fièvre à 39 °C — 発熱" }))).toContain(",Fièvre à 39 °C — 発熱,");
  });
});

describe("toJsonl", () => {
  it("is empty for no rows", () => {
    expect(toJsonl([])).toBe("");
  });

  it("writes one JSON object per line, newline-terminated, with every column and its type", () => {
    const rows = [
      row(),
      row({ item_idx: 1, exact: false, letter: null, case: "=1+1", judge_score: 3, judge_status: "scored" }),
    ];
    const out = toJsonl(rows);
    expect(out.endsWith("\n")).toBe(true);
    const lines = out.slice(0, -1).split("\n");
    expect(lines).toHaveLength(2);
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed).toEqual(rows);
    expect(Object.keys(parsed[0]!)).toEqual([...EXPORT_COLUMNS]);
    expect(parsed[1]!.case).toBe("=1+1"); // no formula prefix in JSON
    expect(parsed[1]!.letter).toBeNull();
  });

  it("escapes line breaks inside values so each record stays on one line", () => {
    const out = toJsonl([row({ case: "first\nsecond\r\nthird\u2028fourth", raw: 'quote " and \\ backslash' })]);
    expect(out.split("\n")).toHaveLength(2);
    expect((JSON.parse(out.trim()) as Row).case).toBe("first\nsecond\r\nthird\u2028fourth");
    expect((JSON.parse(out.trim()) as Row).raw).toBe('quote " and \\ backslash');
  });
});
