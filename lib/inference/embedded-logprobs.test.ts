import { afterAll, describe, expect, it } from "vitest";
import { hasShared, sharedPath } from "@/test-support/shared-data";
import { disposeEmbeddedEngines, EmbeddedBackend } from "./embedded";
import { getEngine } from "./embedded-engine";
import { answerTokenIndex, measureStep } from "./embedded-logprobs";

/**
 * The embedded engine's answer-step probabilities on real llama.cpp inference: the tiny random-weight GGUF from
 * ../shared. Its numbers are real but meaningless; what is tested is the mechanism (finding the step, cutting the
 * context back, reading the distribution) and that an answer is still served when there is nothing to measure.
 */

const tinyPath = sharedPath("models", "llama-2-tiny-random.gguf");
const OPTIONS = { modelPath: tinyPath, gpu: false as const, contextSize: 512, sequences: 1, queueLimit: 4, threads: 1 };

afterAll(() => disposeEmbeddedEngines());

describe.skipIf(!hasShared)("the answer step on the tiny GGUF", () => {
  it("finds the letter token after <answer> and reads that step's real distribution", async () => {
    const engine = await getEngine(OPTIONS);
    const { model } = engine;
    const prompt = model.tokenize("Which is most likely? Reply in tags.", false);
    const bos = model.tokens.bos;
    const promptTokens = bos != null ? [bos, ...prompt] : prompt;
    const generated = model.tokenize("<analysis>Hilar nodes.</analysis>\n<answer>\nB: Sarcoidosis</answer>", false);
    const k = answerTokenIndex(model, generated);
    expect(k).toBeGreaterThan(0);
    expect(model.detokenize([generated[k]!]).trim()).toMatch(/^B/);

    const sequence = engine.takeSequence();
    try {
      await sequence.evaluateWithoutGeneratingNewTokens([...promptTokens, ...generated]);
      const measured = await measureStep(sequence, model, promptTokens.length, generated, k, 10);
      expect(measured).not.toBeNull();
      const { step, offset } = measured!;
      expect(step.token.trim()).toMatch(/^B/);
      expect(model.detokenize(generated).slice(offset, offset + step.token.length)).toBe(step.token);
      expect(step.top).toHaveLength(10);
      // A real distribution: log-probabilities ≤ 0, most likely first, together at most 1.
      const ps = step.top.map((t) => Math.exp(t.logprob));
      expect(ps.every((p) => p > 0 && p <= 1)).toBe(true);
      expect([...ps].sort((a, b) => b - a)).toEqual(ps);
      expect(ps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1 + 1e-9);
      expect(step.logprob).toBeLessThanOrEqual(0);
    } finally {
      engine.returnSequence(sequence);
    }
  });

  it("no <answer> in the reply, or no letter right after it: nothing to measure", async () => {
    const { model } = await getEngine(OPTIONS);
    expect(answerTokenIndex(model, model.tokenize("The patient presents with fever", false))).toBe(-1);
    expect(answerTokenIndex(model, model.tokenize("<answer>\nSarcoidosis</answer>", false))).toBe(-1);
  });

  it("a reply with nothing to measure is still answered: confidence and probabilities null", async () => {
    const backend = new EmbeddedBackend({ ...OPTIONS, modelName: "tiny" });
    const { askOnce } = await import("@/lib/ask/service");
    const { loadConfig } = await import("@/lib/config");
    const r = await askOnce(
      {
        case: "A patient has a cough.",
        options: { A: "Asthma", B: "Sarcoidosis" },
        model: "tiny",
        stream: false,
        maxTokens: 20,
      },
      { backend, config: loadConfig({ MEDGPT_PROMPT_FORMATS: "tiny=medgpt-raw" }) },
      new AbortController().signal,
    );
    expect(r.raw.length).toBeGreaterThan(0);
    expect(r.answer).toMatchObject({ confidence: null, probabilities: null });
  });
});
