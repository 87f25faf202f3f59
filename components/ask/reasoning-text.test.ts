import { describe, expect, it } from "vitest";
import { paragraphs, streamingReasoning } from "./reasoning-text";

describe("streamingReasoning", () => {
  it("strips the tags and the leading 'model', and leaves the answer block out", () => {
    expect(
      streamingReasoning("model\n<analysis>\nPain is bilateral.\n</analysis>\n<answer>\nB: Tension\n</answer>"),
    ).toBe("Pain is bilateral.");
  });

  it("shows the analysis as it grows, hiding a tag still being written", () => {
    expect(streamingReasoning("<analysis>Pain is")).toBe("Pain is");
    expect(streamingReasoning("<analysis>Pain is bilateral.</ana")).toBe("Pain is bilateral.");
    expect(streamingReasoning("<analysis>Pain is bilateral.</analysis>\n<ans")).toBe("Pain is bilateral.");
    expect(streamingReasoning("<")).toBe("");
  });

  it("hides the first pieces of a leading 'model' until the word is complete", () => {
    expect(streamingReasoning("mod")).toBe("");
    expect(streamingReasoning("model")).toBe("");
    expect(streamingReasoning("modest findings")).toBe("modest findings");
  });

  it("keeps untagged reasoning, up to an answer block", () => {
    expect(streamingReasoning("The pain is bilateral.\n\n<answer>B")).toBe("The pain is bilateral.");
    expect(streamingReasoning("The pain is bilateral.")).toBe("The pain is bilateral.");
  });
});

describe("paragraphs", () => {
  it("splits on blank lines and keeps single line breaks", () => {
    expect(paragraphs("a\nb\n\n  \nc\n\n")).toEqual(["a\nb", "c"]);
    expect(paragraphs("")).toEqual([]);
  });
});
