import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { CsvReader, parseCsv } from "./csv";

const fields = (text: string) => parseCsv(text).map((r) => r.fields);

describe("parseCsv (RFC 4180)", () => {
  it("splits plain records on commas and line ends, with or without a final newline", () => {
    expect(fields("a,b,c\n1,2,3\n")).toEqual([
      ["a", "b", "c"],
      ["1", "2", "3"],
    ]);
    expect(fields("a,b,c\n1,2,3")).toEqual([
      ["a", "b", "c"],
      ["1", "2", "3"],
    ]);
    expect(fields("a,,\n")).toEqual([["a", "", ""]]);
  });

  it("keeps commas, line breaks and doubled quotes inside quoted fields", () => {
    const text = 'q,opa\n"Which drug, given IV, is ""first line""?","line one\nline two"\n';
    expect(fields(text)).toEqual([
      ["q", "opa"],
      ['Which drug, given IV, is "first line"?', "line one\nline two"],
    ]);
  });

  it("reads CRLF files and turns CRLF inside a quoted field into \\n", () => {
    expect(fields('a,b\r\n"x\r\ny",z\r\n')).toEqual([
      ["a", "b"],
      ["x\ny", "z"],
    ]);
  });

  it("accepts a lone CR as a line end (old Mac exports)", () => {
    expect(fields("a,b\r1,2\r")).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
  });

  it("ignores a leading BOM, so the first column name is not '\\uFEFFquestion'", () => {
    expect(fields("\uFEFFquestion,opa\nx,y\n")[0]).toEqual(["question", "opa"]);
  });

  it("reports the text line each record starts on, counting line breaks inside quotes", () => {
    const recs = parseCsv('h1,h2\n"a\nb\nc",d\n\ne,f\n');
    expect(recs.map((r) => [r.line, r.fields])).toEqual([
      [1, ["h1", "h2"]],
      [2, ["a\nb\nc", "d"]],
      [5, [""]],
      [6, ["e", "f"]],
    ]);
  });

  it("flags an unterminated quote instead of guessing where it ends", () => {
    const recs = parseCsv('a,b\n"open,1\n2,3\n');
    expect(recs).toHaveLength(2);
    expect(recs[1]!.error).toMatch(/unterminated quoted field starting on line 2/);
  });

  it("flags text after a closing quote but keeps the following fields aligned", () => {
    const [rec] = parseCsv('"ab"c,d\n');
    expect(rec!.error).toMatch(/after a closing quote/);
    // The flagged record is rejected whole; what matters is that "d" is still the second column.
    expect(rec!.fields).toHaveLength(2);
    expect(rec!.fields[1]).toBe("d");
  });

  it("keeps a quote in the middle of an unquoted field literally", () => {
    expect(parseCsv('5" needle,b\n')[0]).toEqual({ line: 1, fields: ['5" needle', "b"], error: null });
  });

  it("preserves unicode byte for byte", () => {
    const text = "β-blocker,25 µg,🩺 stethoscope,心肌梗死\n";
    expect(fields(text)[0]!.join(",")).toBe(text.trimEnd());
  });

  it("counts a CRLF inside quotes as one line when numbering the records after it", () => {
    expect(parseCsv('h\r\n"a\r\nb",c\r\nd\r\n').map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it("reads the same records whatever chunks the text arrives in (streamed uploads)", () => {
    const text = 'q,opa\r\n"x, ""y""\r\nz",1\r\n\r\n5" needle,2\n"ab"c,3\n"open,4\nmore';
    const whole = parseCsv(text);
    fc.assert(
      fc.property(fc.array(fc.nat(text.length), { maxLength: 8 }), (cuts) => {
        const at = [0, ...cuts.sort((a, b) => a - b), text.length];
        const reader = new CsvReader();
        const records = at.slice(1).flatMap((end, i) => reader.push(text.slice(at[i], end)));
        expect([...records, ...reader.end()]).toEqual(whole);
      }),
      { numRuns: 1000 },
    );
  });
});
