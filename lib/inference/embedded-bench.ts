/**
 * Tokens/s of a direct node-llama-cpp completion vs the same completion through EmbeddedBackend.generate
 * (same model, context shape, threads, prompt, maxTokens, greedy sampling), alternating runs.
 *
 *   npx tsx --conditions=react-server lib/inference/embedded-bench.ts [--model FILE] [--tokens 200] [--reps 7] [--threads 1]
 *
 * Rates are generated tokens over the whole call's wall time (prompt evaluation included), as a user sees it.
 */
import { parseArgs } from "node:util";
import { buildInput, buildInferencePrompt } from "@/lib/prompt";
import { sharedPath } from "@/test-support/shared-data";
import { disposeEmbeddedEngines, EmbeddedBackend } from "./embedded";

const { values } = parseArgs({
  options: {
    model: { type: "string", default: sharedPath("models", "llama-2-tiny-random.gguf") },
    tokens: { type: "string", default: "200" },
    reps: { type: "string", default: "7" },
    threads: { type: "string", default: "1" },
    context: { type: "string", default: "2048" },
  },
});
const maxTokens = Number(values.tokens);
const reps = Number(values.reps);
const threads = Number(values.threads);
const contextSize = Number(values.context);
const prompt = buildInferencePrompt(
  buildInput("A 30-year-old woman has a dry cough and bilateral hilar lymphadenopathy. Which is most likely?", {
    A: "Asthma",
    B: "Sarcoidosis",
    C: "Tuberculosis",
  }),
);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const { getLlama, LlamaCompletion } = await import("node-llama-cpp");
  const llama = await getLlama({ gpu: false, build: "never" });
  const model = await llama.loadModel({ modelPath: values.model, gpuLayers: 0 });
  const context = await model.createContext({ contextSize, sequences: 2, threads });
  const completion = new LlamaCompletion({ contextSequence: context.getSequence() });
  const tokens = model.tokenize(prompt, true, "trimLeadingSpace");

  const directWith = (customStopTriggers?: string[]) => async () => {
    let n = 0;
    const t0 = performance.now();
    await completion.generateCompletionWithMeta(tokens, {
      maxTokens,
      temperature: 0,
      disableContextShift: true,
      ...(customStopTriggers && { customStopTriggers }),
      onToken: (t) => (n += t.length),
      onTextChunk: () => {},
    });
    return { n, ms: performance.now() - t0 };
  };
  const direct = directWith();
  /** The backend's own settings (the <end_of_turn> stop trigger), without the backend: isolates its overhead. */
  const directStop = directWith(["<end_of_turn>"]);

  const backend = new EmbeddedBackend({ modelPath: values.model, modelName: "bench", gpu: false, threads, contextSize, sequences: 2 });
  await backend.warmUp();
  const viaBackend = async () => {
    let n = 0;
    const t0 = performance.now();
    for await (const ev of backend.generate(
      { model: "bench", prompt: { kind: "raw", text: prompt }, options: { maxTokens, temperature: 0 } },
      new AbortController().signal,
    )) {
      if (ev.type === "done") n = ev.stats.evalCount ?? 0;
    }
    return { n, ms: performance.now() - t0 };
  };

  await direct(); // warm caches on both paths
  await viaBackend();
  const rates = { direct: [] as number[], directStop: [] as number[], backend: [] as number[] };
  for (let i = 0; i < reps; i++) {
    for (const [label, fn] of [["direct", direct], ["directStop", directStop], ["backend", viaBackend]] as const) {
      const { n, ms } = await fn();
      rates[label].push((n / ms) * 1000);
      console.log(`${label.padEnd(10)} rep ${i + 1}: ${n} tokens in ${ms.toFixed(1)} ms = ${((n / ms) * 1000).toFixed(0)} tok/s`);
    }
  }
  const d = median(rates.direct);
  const ds = median(rates.directStop);
  const b = median(rates.backend);
  console.log(`\nprompt ${tokens.length + 1} tokens, maxTokens ${maxTokens}, threads ${threads}, ${reps} reps (medians)`);
  console.log(`direct node-llama-cpp : ${d.toFixed(0)} tok/s`);
  console.log(`direct + stop trigger : ${ds.toFixed(0)} tok/s`);
  console.log(`EmbeddedBackend       : ${b.toFixed(0)} tok/s`);
  console.log(`ratio backend/direct  : ${(b / d).toFixed(3)} (backend/direct+stop ${(b / ds).toFixed(3)})`);
  completion.dispose();
  await context.dispose();
  await model.dispose();
  await disposeEmbeddedEngines();
}

await main();
