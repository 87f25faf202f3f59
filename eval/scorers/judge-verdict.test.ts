import { describe, expect, it } from "vitest";
import { parseVerdict, stripThinking, toJudgeVerdict } from "./judge-verdict";

type Case = [name: string, raw: string, expected: { score: number; explanation: string } | RegExp];

/** A reply that must parse to `score` with `explanation`. */
const ok = (name: string, raw: string, score: number, explanation: string): Case => [name, raw, { score, explanation }];

const CASES: Case[] = [
  ok("plain JSON", '{"score": 4, "explanation": "Correct, minor gaps."}', 4, "Correct, minor gaps."),
  ok("JSON with surrounding whitespace", '\n  {"score":5,"explanation":"Fully accurate."}\n', 5, "Fully accurate."),
  ok(
    "```json fence",
    'Here is my grade:\n```json\n{"score": 3, "explanation": "Weak reasoning."}\n```',
    3,
    "Weak reasoning.",
  ),
  ok("bare ``` fence", '```\n{"score": 2, "explanation": "Wrong option."}\n```', 2, "Wrong option."),
  ok(
    "embedded in prose",
    'After review, my verdict is {"score": 1, "explanation": "Chose B; reference is D."} as above.',
    1,
    "Chose B; reference is D.",
  ),
  ok(
    "braces inside strings do not confuse the scan",
    'Verdict: {"score": 4, "explanation": "uses {curly} words and \\"quotes\\""} end',
    4,
    'uses {curly} words and "quotes"',
  ),
  ok("score as a string", '{"score": "4", "explanation": "ok"}', 4, "ok"),
  ok("score as 4.0", '{"score": 4.0, "explanation": "ok"}', 4, "ok"),
  ok('score as the string "4.0"', '{"score": "4.0", "explanation": "ok"}', 4, "ok"),
  ok(
    "score 0 (format broken) is a real score",
    '{"score": 0, "explanation": "No <answer> block."}',
    0,
    "No <answer> block.",
  ),
  ok("missing explanation → empty", '{"score": 5}', 5, ""),
  ok("null explanation → empty", '{"score": 5, "explanation": null}', 5, ""),
  ok("capitalised keys", '{"Score": 2, "Explanation": "Wrong."}', 2, "Wrong."),
  ok(
    "<think> block stripped",
    '<think>The model chose C... {"score": 1} maybe?</think>\n{"score": 4, "explanation": "Right answer."}',
    4,
    "Right answer.",
  ),
  ok(
    "only a closing </think>",
    'reasoning without an opening tag {"score": 2}</think>{"score": 5, "explanation": "Clear."}',
    5,
    "Clear.",
  ),
  ok(
    "same score twice agrees",
    'Score: {"score": 3, "explanation": "a"} — to repeat: {"score": 3, "explanation": "b"}',
    3,
    "a",
  ),
  ["score 3.5 is not invented into an integer", '{"score": 3.5, "explanation": "between"}', /3\.5 is not an integer/],
  ["score out of range", '{"score": 6, "explanation": "great"}', /outside 0–5/],
  ["negative score", '{"score": -1, "explanation": "bad"}', /outside 0–5/],
  ["score as a word", '{"score": "four", "explanation": "ok"}', /not a number/],
  ["score as a fraction string", '{"score": "4/5", "explanation": "ok"}', /not a number/],
  ["score null", '{"score": null, "explanation": "?"}', /not a number/],
  ["no score key", '{"grade": 4, "explanation": "ok"}', /no score/],
  ["malformed JSON", '{"score": 4, "explanation": "unterminated', /no JSON object/],
  ["prose only", "The answer is correct and well reasoned. I would give it a 4.", /no JSON object/],
  ["empty reply", "", /empty judge reply/],
  ["only unfinished reasoning", "<think>Let me weigh the options and", /only reasoning/],
  [
    "conflicting scores",
    'First {"score": 3, "explanation": "a"} then on reflection {"score": 4, "explanation": "b"}',
    /conflicting scores \(3, 4\)/,
  ],
  ["a bad score in a fence is not rescued by prose", '```json\n{"score": 7}\n```\nI mean {"score": 4}', /outside 0–5/],
  ok("a JSON array is not a verdict object, but its object is found", '[{"score": 2, "explanation": "x"}]', 2, "x"),
];

describe("parseVerdict", () => {
  it.each(CASES)("%s", (_name, raw, expected) => {
    const result = parseVerdict(raw);
    if (expected instanceof RegExp) {
      expect(result).not.toHaveProperty("score");
      expect("error" in result && result.error).toMatch(expected);
    } else {
      expect(result).toEqual(expected);
    }
  });

  it("never answers with a score that is not an integer 0–5", () => {
    for (const [, raw] of CASES) {
      const r = parseVerdict(raw);
      if ("score" in r) expect(Number.isInteger(r.score) && r.score >= 0 && r.score <= 5).toBe(true);
    }
  });
});

describe("stripThinking", () => {
  it("removes closed, unclosed and orphan-closed reasoning", () => {
    expect(stripThinking("<think>x</think>y<thinking>z</thinking>w")).toBe("yw");
    expect(stripThinking('{"score":1}<think>unfinished')).toBe('{"score":1}');
    expect(stripThinking("reasoning</think> answer")).toBe(" answer");
  });
});

describe("toJudgeVerdict", () => {
  it("keeps the raw text and attempts on both outcomes", () => {
    expect(toJudgeVerdict('{"score": 4, "explanation": "ok"}', 2)).toEqual({
      status: "scored",
      score: 4,
      explanation: "ok",
      raw: '{"score": 4, "explanation": "ok"}',
      attempts: 2,
    });
    const bad = toJudgeVerdict("not json", 1, "the reply was cut off at max tokens");
    expect(bad).toEqual({
      status: "unparseable",
      raw: "not json",
      attempts: 1,
      error: expect.stringContaining("cut off"),
    });
    expect(bad).not.toHaveProperty("score");
  });
});
