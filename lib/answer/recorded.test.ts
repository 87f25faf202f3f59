import { describe, expect, it } from "vitest";
import { hasShared } from "@/test-support/shared-data";
import { parseInput } from "@/lib/prompt";
import { readReasoningRows, readRecordedResponses } from "@/test-support/shared-rows";
import { parseAnswer } from "./parse";

const FINE_TUNE = "mrizwank97/medgpt";

describe.skipIf(!hasShared)("parseAnswer on the recorded test93 replies", () => {
  const rows = hasShared ? readReasoningRows() : [];
  const recorded = hasShared ? readRecordedResponses() : [];
  const parsed = recorded.map((rec) => {
    const row = rows[rec.index]!;
    // The reference is read with its own plain regex so the parser is not graded by itself.
    const reference = /<answer>\s*([A-E]):/.exec(row.output)?.[1];
    return { rec, reference, result: parseAnswer(rec.response, parseInput(row.input).options) };
  });
  const fineTune = parsed.filter((p) => p.rec.model === FINE_TUNE);
  const base = parsed.filter((p) => p.rec.model.startsWith("gemma-2-2b"));

  it("has 93 replies from each model and a reference letter for every row", () => {
    expect(fineTune).toHaveLength(93);
    expect(base).toHaveLength(93);
    expect(parsed.every((p) => p.reference !== undefined)).toBe(true);
  });

  it("reads a letter from all 93 fine-tune replies, 64 of them the reference", () => {
    expect(fineTune.filter((p) => p.result.answer !== null)).toHaveLength(93);
    expect(fineTune.filter((p) => p.result.answer?.letter === p.reference)).toHaveLength(64);
  });

  it("gives the question's option text, and the fine-tune's analysis without tags or the leading 'model'", () => {
    for (const { rec, result } of fineTune) {
      const options = parseInput(rows[rec.index]!.input).options;
      expect(result.answer!.text).toBe(options[result.answer!.letter]);
      expect(result.analysis).not.toMatch(/<\/?analysis>|<\/?answer>|^model/);
      expect(result.analysis.length).toBeGreaterThan(100);
    }
  });

  it("reads no letter from any of the 93 base-model replies, even the 14 with an <answer> tag", () => {
    expect(base.filter((p) => p.rec.response.includes("<answer>"))).toHaveLength(14);
    expect(base.filter((p) => p.result.answer !== null).map((p) => p.rec.index)).toEqual([]);
  });

  it("marks format: all fine-tune replies ok, no base reply ok", () => {
    expect(fineTune.filter((p) => p.result.formatOk)).toHaveLength(93);
    // Two base replies echo the instruction's empty "<analysis></analysis>" and "<answer></answer>".
    expect(base.filter((p) => /<analysis><\/analysis>[\s\S]*<answer><\/answer>/.test(p.rec.response))).toHaveLength(2);
    expect(base.filter((p) => p.result.formatOk)).toHaveLength(0);
  });
});
