import { describe, expect, it } from "vitest";
import { vote } from "./vote";

const s = (letter: "A" | "B" | "C" | null, confidence: number | null = null) => ({ letter, confidence });

describe("vote: self-consistency's majority", () => {
  it("the letter most samples chose; agreement is its share of all samples", () => {
    expect(vote([s("B"), s("B"), s("A"), s("B"), s("C")])).toEqual({ letter: "B", agreement: 0.6 });
  });

  it("a tie goes to the higher summed confidence, then to the earlier letter", () => {
    expect(vote([s("A", 0.4), s("A", 0.4), s("C", 0.9), s("C", 0.5)])).toEqual({ letter: "C", agreement: 0.5 });
    expect(vote([s("C", 0.5), s("A", 0.5)])).toEqual({ letter: "A", agreement: 0.5 });
  });

  it("samples without an answer vote for nothing but lower the agreement; none at all → no vote", () => {
    expect(vote([s("B"), s(null), s(null), s(null)])).toEqual({ letter: "B", agreement: 0.25 });
    expect(vote([s(null), s(null)])).toEqual({ letter: null, agreement: 0 });
  });
});
