import { describe, expect, it } from "vitest";
import { importDataset } from "./import";

describe("MCQ CSV", () => {
  it("reads answer_idx letters, 4 and 5 options, and keeps explanation as reference reasoning", () => {
    const text = [
      "question,opa,opb,opc,opd,ope,answer_idx,explanation",
      "Drug of choice for absence seizures?,Ethosuximide,Phenytoin,Carbamazepine,Gabapentin,,A,T-type calcium channels",
      "Five options here?,a,b,c,d,e,e,",
    ].join("\n");
    const result = importDataset(text, { filename: "mcq.csv" });
    expect(result.format).toBe("mcq-csv");
    expect(result.rejected).toEqual([]);
    expect(result.items).toEqual([
      {
        sourceLine: 2,
        caseText: "Drug of choice for absence seizures?",
        options: { A: "Ethosuximide", B: "Phenytoin", C: "Carbamazepine", D: "Gabapentin" },
        referenceLetter: "A",
        referenceReasoning: "T-type calcium channels",
      },
      {
        sourceLine: 3,
        caseText: "Five options here?",
        options: { A: "a", B: "b", C: "c", D: "d", E: "e" },
        referenceLetter: "E",
        referenceReasoning: null,
      },
    ]);
  });

  it("reads the MedMCQA layout: 1-based cop, `exp`, extra columns ignored, column names in any case", () => {
    const text = [
      "id,Question,opa,opb,opc,opd,COP,choice_type,exp,subject_name",
      "q1,Which vitamin is fat soluble?,B1,C,K,B12,3,single,Vitamin K is fat soluble,Biochemistry",
      "q2,First option right?,yes,no,maybe,never,1,single,,Medicine",
      "q3,Last option right?,no,no!,no?,yes,4,single,,Medicine",
    ].join("\n");
    const result = importDataset(text, { filename: "medmcqa.csv" });
    expect(result.rejected).toEqual([]);
    expect(result.items.map((i) => [i.referenceLetter, i.options[i.referenceLetter]])).toEqual([
      ["C", "K"],
      ["A", "yes"],
      ["D", "yes"],
    ]);
    expect(result.items[0]!.referenceReasoning).toBe("Vitamin K is fat soluble");
  });

  it('handles quoted commas, line breaks and "" escapes, a BOM and CRLF line ends', () => {
    const text =
      "\uFEFFquestion,opa,opb,opc,opd,cop,explanation\r\n" +
      '"A 45-year-old man, a smoker, has ""crushing"" pain.\r\nWhat next?",ECG,"Troponin, then ECG",Chest X-ray,"Reassure ""and"" discharge",1,"ECG first:\r\nwithin 10 minutes"\r\n' +
      "Plain row?,w,x,y,z,2,\r\n";
    const result = importDataset(text);
    expect(result.rejected).toEqual([]);
    expect(result.items[0]).toEqual({
      sourceLine: 2,
      caseText: 'A 45-year-old man, a smoker, has "crushing" pain.\nWhat next?',
      options: { A: "ECG", B: "Troponin, then ECG", C: "Chest X-ray", D: 'Reassure "and" discharge' },
      referenceLetter: "A",
      referenceReasoning: "ECG first:\nwithin 10 minutes",
    });
    // Line numbers are record numbers (header = 1), so the second record is 3 even though it starts on text line 4.
    expect(result.items[1]!.sourceLine).toBe(3);
  });

  it("preserves unicode byte for byte", () => {
    const text = "question,opa,opb,opc,opd,answer_idx\n患者 with 🫀 pain: which dose?,25 µg,β-blocker,阿司匹林,🙂,B\n";
    const [item] = importDataset(text).items;
    expect(item!.caseText).toBe("患者 with 🫀 pain: which dose?");
    expect(item!.options).toEqual({ A: "25 µg", B: "β-blocker", C: "阿司匹林", D: "🙂" });
  });

  it("rejects broken rows with their record number and reason, and skips blank rows", () => {
    const text = [
      "question,opa,opb,opc,opd,ope,cop", // 1
      "Good?,a,b,c,d,,2", // 2
      "cop zero?,a,b,c,d,,0", // 3
      "cop six?,a,b,c,d,e,6", // 4
      "cop at empty ope?,a,b,c,d,,5", // 5
      "Too many, fields,a,b,c,d,,1", // 6
      "Too few,a,b,1", // 7
      "", // 8 blank: skipped
      ",,,,,,", // 9 empty cells only: skipped
      "Gap?,a,b,,d,,1", // 10
      "Empty option A?, ,b,c,d,,2", // 11
      ",a,b,c,d,,1", // 12 no question
      "cop text?,a,b,c,d,,two", // 13
      'Bad quote "x"?,a,b,c,d,,1', // 14 literal quote mid-field: accepted
      '"stray"x,a,b,c,d,,1', // 15 text after closing quote
      '"Multi', // 16: this record spans text lines 16–17, so later record numbers trail the text lines by one
      'line",a,b,c,d,,7', // cop 7 out of range
      "One option?,a,,,,,1", // record 17, text line 18
      '"Unclosed,a,b,c,d,,1', // record 18, text line 19: swallows the rest
      "After?,a,b,c,d,,1",
    ].join("\n");
    const result = importDataset(text);
    expect(result.items.map((i) => i.sourceLine)).toEqual([2, 14]);
    expect(result.items[1]!.caseText).toBe('Bad quote "x"?');
    const reasons = Object.fromEntries(result.rejected.map((r) => [r.line, r.reason]));
    expect(Object.keys(reasons).map(Number)).toEqual([3, 4, 5, 6, 7, 10, 11, 12, 13, 15, 16, 17, 18]);
    expect(reasons[3]).toBe("cop 0 is out of range (1–5, where 1 = opa)");
    expect(reasons[4]).toBe("cop 6 is out of range (1–5, where 1 = opa)");
    expect(reasons[5]).toBe("cop 5 points at option E (ope), which is empty");
    expect(reasons[6]).toMatch(/^has 8 fields but the header has 7 \(a comma inside a field\?/);
    expect(reasons[7]).toBe("has 4 fields but the header has 7");
    expect(reasons[10]).toBe("option C must not be empty");
    expect(reasons[11]).toBe("option A must not be empty");
    expect(reasons[12]).toBe('column "question" is empty');
    expect(reasons[13]).toMatch(/cop "two" is not a whole number/);
    expect(reasons[15]).toMatch(/^malformed CSV: unexpected text after a closing quote/);
    expect(reasons[16]).toBe("cop 7 is out of range (1–5, where 1 = opa)");
    expect(reasons[17]).toBe("needs at least 2 options (A and B), got 1 (A) (record starts on text line 18)");
    expect(reasons[18]).toMatch(
      /^malformed CSV: unterminated quoted field starting on line 19.*\(record starts on text line 19\)$/,
    );
  });

  it("rejects a row whose answer_idx and cop disagree", () => {
    const text = "question,opa,opb,opc,opd,answer_idx,cop\nQ?,a,b,c,d,B,2\nQ?,a,b,c,d,B,3\n";
    const result = importDataset(text);
    expect(result.items.map((i) => i.sourceLine)).toEqual([2]);
    expect(result.rejected).toEqual([{ line: 3, reason: "answer_idx B and cop 3 (= C) disagree" }]);
  });

  it("refuses a header without the MCQ columns, naming what is missing and what is accepted", () => {
    expect(() => importDataset("question,a,b,c,d,answer\nQ?,1,2,3,4,1\n", { filename: "x.csv" })).toThrowError(
      /"x\.csv" is not a recognised dataset: the CSV header lacks opa, opb, opc, opd, answer_idx or cop[\s\S]*Accepted formats:[\s\S]*MCQ CSV/,
    );
    expect(() => importDataset("question,opa,opb,opc,opd,opa,cop\n")).toThrowError(/column "opa" twice/);
  });
});
