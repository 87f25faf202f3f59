import { describe, expect, it } from "vitest";
import type { Options } from "@/lib/schemas/options";
import { parseAnswer } from "./parse";

const FIVE: Options = {
  A: "Mutated NF1 gene",
  B: "Exposure to ionizing radiation",
  C: "Deleted VHL gene",
  D: "Altered RET proto-oncogene expression",
  E: "Disrupted menin protein function",
};
const FOUR: Options = { A: "Vitamin A", B: "Vitamin B12", C: "E. coli infection", D: "Thiamine" };

const letterOf = (reply: string, options: Options = FIVE) => parseAnswer(reply, options).answer?.letter ?? null;

describe("parseAnswer: which letter", () => {
  it.each<[string, string, "A" | "B" | "C" | "D" | "E" | null, Options?]>([
    // The trained format and its variants inside <answer>.
    [
      "letter, colon and text",
      "<analysis>x</analysis>\n<answer>\nD: Altered RET proto-oncogene expression\n</answer>",
      "D",
    ],
    ["bare letter", "<answer>D</answer>", "D"],
    ["(D)", "<answer>(D)</answer>", "D"],
    ["D)", "<answer>D) Altered RET</answer>", "D"],
    ["[D]", "<answer>[D]</answer>", "D"],
    ["D.", "<answer>D. Altered RET</answer>", "D"],
    ["D -", "<answer>D - Altered RET</answer>", "D"],
    ["Answer: D inside the block", "<answer>Answer: D</answer>", "D"],
    ["The correct answer is D inside the block", "<answer>The correct answer is (D)</answer>", "D"],
    ["Option D", "<answer>Option D</answer>", "D"],
    ["markdown bold", "<answer>**D**</answer>", "D"],
    ["lowercase letter", "<answer> d </answer>", "D"],
    ["lowercase with colon", "<answer>\n  d: altered ret\n</answer>", "D"],
    ["letter then the option's own text", "<answer>D Altered RET proto-oncogene expression</answer>", "D"],
    ["option text only, case-insensitive", "<answer>\naltered RET proto-oncogene EXPRESSION.\n</answer>", "D"],
    ["option text after an answer label", "<answer>The answer is: vitamin a</answer>", "A", FOUR],
    ["option text that looks like a letter", "<answer>E. coli infection</answer>", "C", FOUR],
    ["label on a later line of the block", "<answer>\nBased on the above:\nD: Altered RET\n</answer>", "D"],
    // Recorded replies start with "model"; truncated replies have no closing tags.
    ["leading model word", "model<analysis>\nreasoning\n</analysis>\n<answer>\nB: Exposure\n</answer> ", "B"],
    ["truncated after the letter", "model<analysis>\nreasoning\n</analysis>\n<answer>\nC: Dele", "C"],
    ["truncated with no closing analysis", "<analysis>\nreasoning\n<answer>\nC", "C"],
    ["last answer block wins", "<answer>A</answer> on reflection <answer>B</answer>", "B"],
    ["an empty last block falls back to the previous", "<answer>A</answer>\n<answer>\n", "A"],
    // Outside a block: only strong patterns.
    ["Answer: D", "The patient has MEN2.\nAnswer: D", "D"],
    ["answer is D", "So the answer is D.", "D"],
    ["the answer is (d)", "so the answer is (d)", "D"],
    ["**Answer:** D", "Reasoning.\n\n**Answer:** D) Altered RET", "D"],
    ["the last answer statement wins", "Answer: A\nWait, no.\nAnswer: B", "B"],
    ["(D) at the start of the last line", "Reasoning about MEN2.\n(D) Altered RET", "D"],
    ["D) at the start of a line near the end", "Reasoning.\nD) Altered RET\n", "D"],
    ["D: at the start of a line near the end", "Reasoning.\n\nD: Altered RET proto-oncogene expression", "D"],
    ["answer statement inside an unclosed analysis", "<analysis>\nMEN2A fits, so the answer is D.\n", "D"],
    // Letters the question does not offer: null, never another letter.
    ["E when only A–D are offered", "<answer>E: Something</answer>", null, FOUR],
    ["invalid last block does not fall back", "<answer>A</answer>\n<answer>E</answer>", null, FOUR],
    ["Answer: E when only A–D", "Answer: E", null, FOUR],
    ["letters beyond E", "<answer>F</answer>", null],
    // Never guess from prose.
    ["A 45-year-old", "A 45-year-old man with MEN2.", null],
    ["Vitamin B", "<analysis>Vitamin B deficiency is likely.</analysis>", null, FOUR],
    ["answer block that starts with prose", "<answer>A 45-year-old man has MEN2</answer>", null],
    ["E. coli in prose in a block", "<answer>E. coli sepsis</answer>", null],
    ["Answer: followed by prose", "Answer: A 45-year-old man", null],
    ["Answer: then the letter on the next line", "Answer:\nA. Schizoid personality disorder", null],
    ["answer is not A", "The answer is not A", null],
    ["two letters", "<answer>A or B</answer>", null],
    ["answer is D because (no punctuation)", "the answer is D because of MEN2", null],
    ["option text outside a block", "Answer: Vitamin A", null, FOUR],
    ["options listed at the end", "Options:\nA) x\nB) y\nC) z\nD) w\nE) v", null],
    ["options listed inside the analysis", "<analysis>\nA) NF1 - no\nE) Menin - no\n</analysis>", null],
    ["label far from the end", "D) Altered RET\none\ntwo\nthree\nfour", null],
    ["echoed options literal", "<answer>\n{'A': 'Mutated NF1 gene', 'B': 'Exposure'", null],
    ["empty tags", "<analysis>\n<answer>\n<analysis>\n<answer>\n", null],
    ["instruction echo", "Write answer in between <answer></answer>.", null],
    ["B12 is not B", "<answer>B12</answer>", null, FOUR],
    ["ambiguous duplicate option texts", "<answer>same</answer>", null, { A: "same", B: "same" }],
    ["empty reply", "", null],
  ])("%s", (_name, reply, expected, options = FIVE) => {
    expect(letterOf(reply, options)).toBe(expected);
  });
});

describe("parseAnswer: answer text, analysis and format", () => {
  it("takes the answer text from the options, not from the reply", () => {
    expect(parseAnswer("<answer>D: some paraphrase</answer>", FIVE).answer).toEqual({ letter: "D", text: FIVE.D });
  });

  it.each<[string, string, string, boolean]>([
    [
      "closed blocks",
      "model<analysis>\n\n Reasoning here. \n</analysis>\n<answer>\nD: x\n</answer> ",
      "Reasoning here.",
      true,
    ],
    ["unclosed analysis runs to <answer>", "<analysis>\nReasoning\n<answer>D</answer>", "Reasoning", false],
    ["unclosed analysis runs to the end", "model<analysis>\nReasoning cut o", "Reasoning cut o", false],
    ["unclosed answer", "<analysis>R</analysis><answer>\nC: Fo", "R", false],
    [
      "no analysis tag: the reply less its answer and 'model'",
      "model The patient has MEN2.\n<answer>D</answer>\nDone.",
      "The patient has MEN2.\n\nDone.",
      false,
    ],
    ["no tags at all", "  Reasoning.\nAnswer: D  ", "Reasoning.\nAnswer: D", false],
    ["empty blocks do not count", "<analysis></analysis><answer></answer>", "", false],
    ["only an answer block", "<answer>D</answer>", "", false],
    ["tags in any case and spacing", "<Analysis >R</ analysis><ANSWER>D</Answer>", "R", true],
  ])("%s", (_name, reply, analysis, formatOk) => {
    const parsed = parseAnswer(reply, FIVE);
    expect(parsed.analysis).toBe(analysis);
    expect(parsed.formatOk).toBe(formatOk);
  });

  it("does not strip a word that merely starts with 'model'", () => {
    expect(parseAnswer("modelling suggests MEN2", FIVE).analysis).toBe("modelling suggests MEN2");
  });
});
