import { describe, expect, it } from "vitest";
import { optionProbabilities } from "@/lib/answer/confidence";
import { tokensFor } from "./service";

const OPTIONS = { A: "Asthma", B: "Sarcoidosis", C: "Tuberculosis" };
const RAW = "<analysis>Hilar nodes.</analysis>\n<answer>\nB: Sarcoidosis\n</answer>";
const stats = (offset: number, token = "B") => ({
  evalCount: 20,
  promptEvalCount: 5,
  evalMs: 1,
  doneReason: "stop",
  answerStep: {
    offset,
    step: {
      token,
      logprob: Math.log(0.6),
      top: [
        { token: "B", logprob: Math.log(0.6) },
        { token: "A", logprob: Math.log(0.2) },
      ],
    },
  },
});

describe("tokensFor: a backend that measured only the answer step (the embedded engine)", () => {
  it("places the step in the reply, so the probabilities are read from it", () => {
    const tokens = tokensFor(RAW, [], stats(RAW.indexOf("B:")));
    expect(tokens.map((t) => t.token).join("")).toBe(RAW);
    expect(optionProbabilities(tokens, RAW, "B", OPTIONS)).toEqual({
      confidence: 0.75,
      probabilities: { A: 0.25, B: 0.75, C: 0 },
    });
  });

  it("a step whose text is not at its offset is dropped: no probabilities rather than wrong ones", () => {
    expect(tokensFor(RAW, [], stats(3))).toEqual([]);
  });

  it("tokens streamed with the text win over a measured step", () => {
    const streamed = [{ token: RAW, logprob: 0, top: [] }];
    expect(tokensFor(RAW, streamed, stats(RAW.indexOf("B:")))).toBe(streamed);
  });
});
