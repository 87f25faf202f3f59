import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LineSplitter } from "./lines";

const splitWhole = (text: string) => text.split(/\r\n|\r|\n/);

describe("LineSplitter", () => {
  it("gives the lines String.split gives, whatever chunks the text arrives in, a CRLF cut in two included", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom("a", "bc", " ", "\r", "\n", "\r\n", "é", "🩺")).map((p) => p.join("")),
        fc.array(fc.nat(60), { maxLength: 6 }),
        (text, cuts) => {
          const at = [0, ...cuts.map((c) => Math.min(c, text.length)).sort((a, b) => a - b), text.length];
          const splitter = new LineSplitter();
          const lines = at.slice(1).flatMap((end, i) => splitter.push(text.slice(at[i], end)));
          expect([...lines, ...splitter.end()]).toEqual(splitWhole(text));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("holds a line with no break, however many chunks it spans, until the text ends", () => {
    const splitter = new LineSplitter();
    for (let i = 0; i < 1000; i++) expect(splitter.push("x".repeat(100))).toEqual([]);
    expect(splitter.end()).toEqual(["x".repeat(100_000)]);
  });
});
