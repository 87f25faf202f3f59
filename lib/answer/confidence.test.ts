import { describe, expect, it } from "vitest";
import { letterOfToken, optionProbabilities, type TokenChoice } from "./confidence";

const OPTIONS = { A: "Asthma", B: "Sarcoidosis", C: "Tuberculosis", D: "GERD" };
const plain = (token: string): TokenChoice => ({ token, logprob: -0.01, top: [] });
/** A reply as tokens: every token certain except `at`, which gets `top`. */
function reply(tokens: string[], at: number, top: [string, number][]) {
  const choices = tokens.map((t, i) =>
    i === at
      ? { token: t, logprob: Math.log(top[0]![1]), top: top.map(([token, p]) => ({ token, logprob: Math.log(p) })) }
      : plain(t),
  );
  return { choices, text: tokens.join("") };
}

describe("letterOfToken: which tokens spell an option letter", () => {
  it.each([
    ["B", "B"],
    [" B", "B"],
    ["\nB", "B"],
    ["B:", "B"],
    ["(B", "B"],
    ["B)", "B"],
    ["[C]", "C"],
    ["D.", "D"],
  ])("%j → %s", (token, letter) => expect(letterOfToken(token)).toBe(letter));

  it.each(["b", "Be", "B12", "AB", "F", "", " ", "B: Sarcoidosis", "Vitamin B"])("%j → none", (token) =>
    expect(letterOfToken(token)).toBeNull(),
  );
});

describe("optionProbabilities", () => {
  const tokens = [
    "<analysis>",
    "Hilar",
    " nodes",
    "</analysis>",
    "\n",
    "<answer>",
    "\n",
    "B",
    ":",
    " Sarcoidosis",
    "</answer>",
  ];

  it("reads the alternatives at the letter after <answer>, renormalised over the offered letters", () => {
    const { choices, text } = reply(tokens, 7, [
      ["B", 0.6],
      ["A", 0.2],
      ["The", 0.1], // not a letter: dropped before renormalising
      ["E", 0.05], // not offered: dropped
      ["C", 0.05],
    ]);
    const r = optionProbabilities(choices, text, "B", OPTIONS)!;
    expect(r.probabilities).toEqual({ A: 0.235294, B: 0.705882, C: 0.058824, D: 0 });
    expect(r.confidence).toBe(0.705882);
  });

  it('sums the tokens that spell the same letter ("B" and " B")', () => {
    const { choices, text } = reply(tokens, 7, [
      ["B", 0.5],
      [" B", 0.3],
      ["A", 0.2],
    ]);
    expect(optionProbabilities(choices, text, "B", OPTIONS)!.probabilities).toMatchObject({ A: 0.2, B: 0.8 });
  });

  it("a chat-style reply without an answer block: the last token naming the parsed letter", () => {
    const chat = ["The", " answer", " is", " C", ".", " Not", " A", "."];
    const { choices, text } = reply(chat, 3, [
      [" C", 0.9],
      [" D", 0.1],
    ]);
    expect(optionProbabilities(choices, text, "C", OPTIONS)).toMatchObject({ confidence: 0.9 });
  });

  it("null when the token found is not the parsed letter, when there is no letter, or no log-probabilities", () => {
    const { choices, text } = reply(tokens, 7, [["B", 1]]);
    expect(optionProbabilities(choices, text, "C", OPTIONS)).toBeNull();
    expect(optionProbabilities(choices, text, null, OPTIONS)).toBeNull();
    expect(optionProbabilities([], text, "B", OPTIONS)).toBeNull();
  });

  it("null when the tokens do not add up to the reply (they cannot be placed)", () => {
    const { choices } = reply(tokens, 7, [["B", 1]]);
    expect(optionProbabilities(choices, "<answer>B</answer>", "B", OPTIONS)).toBeNull();
  });
});
