import { describe, expect, it } from "vitest";
import { importDataset } from "./import";

const FOUR = { A: "Propranolol", B: "Amiodarone", C: "Digoxin", D: "Verapamil" };
const medqa = (fields: Record<string, unknown>) =>
  JSON.stringify({
    question: "Which drug is most appropriate?",
    options: FOUR,
    answer_idx: "A",
    answer: "Propranolol",
    ...fields,
  });

describe("MedQA JSONL", () => {
  it("reads 4- and 5-option questions, with or without `answer`, ignoring extra fields", () => {
    const text = [
      medqa({ meta_info: "step1", metamap_phrases: ["drug"] }),
      JSON.stringify({
        question: "A 5-option question?",
        options: { A: "a", B: "b", C: "c", D: "d", E: "e" },
        answer_idx: "E",
      }),
    ].join("\n");
    const result = importDataset(text, { filename: "US_qbank.jsonl" });
    expect(result.format).toBe("medqa");
    expect(result.rejected).toEqual([]);
    expect(result.items).toEqual([
      {
        sourceLine: 1,
        caseText: "Which drug is most appropriate?",
        options: FOUR,
        referenceLetter: "A",
        referenceReasoning: null,
      },
      {
        sourceLine: 2,
        caseText: "A 5-option question?",
        options: { A: "a", B: "b", C: "c", D: "d", E: "e" },
        referenceLetter: "E",
        referenceReasoning: null,
      },
    ]);
  });

  it("keeps apostrophes, double quotes and unicode in the text exactly as written", () => {
    const options = {
      A: "Hodgkin's lymphoma",
      B: 'The so-called "silent" infarct',
      C: "β-blocker at 25 µg/kg",
      D: "心肌梗死 🫀",
    };
    const question = `A patient's "worst headache" — which is it? 患者 🤕`;
    const text = JSON.stringify({ question, options, answer_idx: "C", answer: "β-blocker at 25 µg/kg" });
    const [item] = importDataset(text).items;
    expect(item!.caseText).toBe(question);
    expect(item!.options).toEqual(options);
    expect(
      Buffer.from(JSON.stringify(item!.options), "utf8").equals(Buffer.from(JSON.stringify(options), "utf8")),
    ).toBe(true);
    expect(item!.referenceLetter).toBe("C");
  });

  it("rejects each kind of broken row with its line number and says why", () => {
    const lines = [
      medqa({}), // 1 good
      medqa({ answer: "Digoxin" }), // 2 answer text disagrees with answer_idx
      medqa({ answer_idx: "E" }), // 3 letter not among 4 options
      medqa({ options: { A: "x", B: "y", D: "z" } }), // 4 gap in options
      medqa({ options: { A: "x", B: "", C: "z" } }), // 5 empty option
      medqa({ options: { A: "only one" } }), // 6 one option
      medqa({ options: ["x", "y"] }), // 7 options not an object
      medqa({ options: { ...FOUR, F: "six" } }), // 8 unknown key
      JSON.stringify({ options: FOUR, answer_idx: "A" }), // 9 missing question
      medqa({ question: "   " }), // 10 empty question
      medqa({ question: "x".repeat(20_001) }), // 11 too long
      "{not json}", // 12
      medqa({ answer_idx: "AB" }), // 13 not a letter
      medqa({ options: { A: "x", B: 7 } }), // 14 option not a string
      medqa({ answer_idx: " a ", answer: "  Propranolol " }), // 15 lenient spacing and case: accepted
    ];
    const result = importDataset(lines.join("\n"));
    expect(result.items.map((i) => i.sourceLine)).toEqual([1, 15]);
    expect(result.items[1]!.referenceLetter).toBe("A");
    const reasons = Object.fromEntries(result.rejected.map((r) => [r.line, r.reason]));
    expect(Object.keys(reasons).map(Number)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(reasons[2]).toBe('answer "Digoxin" does not match option A (answer_idx), which is "Propranolol"');
    expect(reasons[3]).toBe("answer_idx E is not among the options (A, B, C, D)");
    expect(reasons[4]).toBe("option D given but C is missing; letters must be consecutive from A");
    expect(reasons[5]).toBe("option B must not be empty");
    expect(reasons[6]).toBe("needs at least 2 options (A and B), got 1 (A)");
    expect(reasons[7]).toMatch(/"options" must be an object/);
    expect(reasons[8]).toMatch(/unexpected option key "F"/);
    expect(reasons[9]).toBe('missing field "question"');
    expect(reasons[10]).toBe('field "question" is empty');
    expect(reasons[11]).toMatch(/20001 characters long; at most 20000/);
    expect(reasons[12]).toMatch(/^invalid JSON/);
    expect(reasons[13]).toMatch(/answer_idx "AB" is not an option letter/);
    expect(reasons[14]).toMatch(/option B must be a string/);
  });

  it("counts lines with blank lines and CRLF endings in place", () => {
    const text = ["", medqa({}), "", "\t", medqa({ answer_idx: "Z" }), medqa({})].join("\r\n");
    const result = importDataset(text);
    expect(result.items.map((i) => i.sourceLine)).toEqual([2, 6]);
    expect(result.rejected.map((r) => r.line)).toEqual([5]);
  });
});
