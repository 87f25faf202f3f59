/**
 * Tokens/s of the embedded engine on the tiny GGUF: a direct node-llama-cpp completion, the same through
 * EmbeddedBackend.generate, and the same through POST /api/ask on the production server (a child process
 * running .next/standalone/server.js with MEDGPT_BACKEND=embedded). Runs alternate so load drifts hit all
 * three alike; rates are generated tokens over the whole call's wall time, as a user sees it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { buildInferencePrompt, buildInput } from "@/lib/prompt";
import { readSseFrames } from "@/lib/sse/decode";
import { disposeEmbeddedEngines, EmbeddedBackend } from "@/lib/inference/embedded";
import { hasShared, sharedPath } from "@/test-support/shared-data";

const CASE = "A 30-year-old woman has a dry cough and bilateral hilar lymphadenopathy. Which is most likely?";
const OPTIONS = { A: "Asthma", B: "Sarcoidosis", C: "Tuberculosis" };
const MODEL = "mrizwank97/medgpt";
const PORT = 3391;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function startServer(modelPath: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [".next/standalone/server.js"], {
    env: {
      ...process.env,
      PORT: String(PORT),
      HOSTNAME: "127.0.0.1",
      MEDGPT_BACKEND: "embedded",
      MEDGPT_GGUF: modelPath,
      MEDGPT_EMBEDDED_THREADS: "1",
      MEDGPT_EMBEDDED_GPU: "false",
      MEDGPT_MODEL: MODEL,
      MEDGPT_DB_PATH: ":memory:",
      // The bench sends ~100 requests a minute from one address; the default limit (30) would refuse most.
      MEDGPT_ASK_RATE_LIMIT: "0",
    },
    stdio: "ignore",
  });
  for (let i = 0; i < 100; i++) {
    const up = await fetch(`http://127.0.0.1:${PORT}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return child;
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill();
  throw new Error("the standalone server did not start");
}

export async function benchEmbeddedOverhead(opts: { maxTokens: number; reps: number }) {
  if (!hasShared) return { skipped: "../shared is absent (needs the tiny GGUF)" } as const;
  if (!existsSync(".next/standalone/server.js"))
    return { skipped: "run `npm run build` first (needs the standalone server)" } as const;
  const modelPath = sharedPath("models", "llama-2-tiny-random.gguf");
  const prompt = buildInferencePrompt(buildInput(CASE, OPTIONS));

  const { getLlama, LlamaCompletion } = await import("node-llama-cpp");
  const llama = await getLlama({ gpu: false, build: "never" });
  const model = await llama.loadModel({ modelPath, gpuLayers: 0 });
  const context = await model.createContext({ contextSize: 2048, sequences: 2, threads: 1 });
  const completion = new LlamaCompletion({ contextSequence: context.getSequence() });
  const tokens = model.tokenize(prompt, true, "trimLeadingSpace");
  const backend = new EmbeddedBackend({
    modelPath,
    modelName: MODEL,
    gpu: false,
    threads: 1,
    contextSize: 2048,
    sequences: 2,
  });
  const server = await startServer(modelPath);

  const direct = async () => {
    let n = 0;
    const t0 = performance.now();
    await completion.generateCompletionWithMeta(tokens, {
      maxTokens: opts.maxTokens,
      temperature: 0,
      disableContextShift: true,
      customStopTriggers: ["<end_of_turn>"],
      onToken: (t) => (n += t.length),
    });
    return { n, ms: performance.now() - t0 };
  };
  const viaBackend = async () => {
    let n = 0;
    const t0 = performance.now();
    const gen = backend.generate(
      { model: MODEL, prompt: { kind: "raw", text: prompt }, options: { maxTokens: opts.maxTokens, temperature: 0 } },
      new AbortController().signal,
    );
    for await (const ev of gen) if (ev.type === "done") n = ev.stats.evalCount ?? 0;
    return { n, ms: performance.now() - t0 };
  };
  const viaApiJson = async () => {
    const t0 = performance.now();
    const res = await fetch(`http://127.0.0.1:${PORT}/api/ask`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        case: CASE,
        options: OPTIONS,
        model: MODEL,
        maxTokens: opts.maxTokens,
        temperature: 0,
        seed: 1,
        stream: false,
      }),
    });
    if (!res.ok) throw new Error(`/api/ask answered ${res.status}: ${await res.text()}`);
    const body = (await res.json()) as { timings: { evalCount: number } };
    return { n: body.timings.evalCount, ms: performance.now() - t0 };
  };
  const viaApi = async () => {
    const t0 = performance.now();
    const res = await fetch(`http://127.0.0.1:${PORT}/api/ask`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        case: CASE,
        options: OPTIONS,
        model: MODEL,
        maxTokens: opts.maxTokens,
        temperature: 0,
        seed: 1,
      }),
    });
    if (!res.ok || !res.body) throw new Error(`/api/ask answered ${res.status}: ${await res.text()}`);
    let n = 0;
    for await (const f of readSseFrames(res.body))
      if (f.event === "done") n = (JSON.parse(f.data) as { timings: { evalCount: number } }).timings.evalCount;
    return { n, ms: performance.now() - t0 };
  };

  const paths = { direct, backend: viaBackend, api: viaApi, apiJson: viaApiJson };
  const rates: Record<keyof typeof paths, number[]> = { direct: [], backend: [], api: [], apiJson: [] };
  const times: Record<keyof typeof paths, number[]> = { direct: [], backend: [], api: [], apiJson: [] };
  const counts: Record<keyof typeof paths, number[]> = { direct: [], backend: [], api: [], apiJson: [] };
  try {
    // Warm-up: V8 optimises the server's request path over its first few dozen requests (the first ones after a
    // start were 20-40 ms slower than later ones here); the overhead claimed is a running server's.
    for (let i = 0; i < 20; i++) for (const fn of Object.values(paths)) await fn();
    for (let i = 0; i < opts.reps; i++) {
      for (const [label, fn] of Object.entries(paths) as [
        keyof typeof paths,
        () => Promise<{ n: number; ms: number }>,
      ][]) {
        const { n, ms } = await fn();
        rates[label].push((n / ms) * 1000);
        times[label].push(ms);
        counts[label].push(n);
      }
    }
  } finally {
    server.kill();
    completion.dispose();
    await context.dispose();
    await model.dispose();
    await disposeEmbeddedEngines();
  }
  const d = median(rates.direct);
  return {
    promptTokens: tokens.length,
    maxTokens: opts.maxTokens,
    reps: opts.reps,
    directTps: Math.round(d),
    backendTps: Math.round(median(rates.backend)),
    apiTps: Math.round(median(rates.api)),
    backendRatio: Math.round((median(rates.backend) / d) * 1000) / 1000,
    apiRatio: Math.round((median(rates.api) / d) * 1000) / 1000,
    // The same tokens (maxTokens at temperature 0 on the tiny model), so the difference in wall time per call is what
    // the app adds to a request: HTTP, validation, the prompt, the answer step's probabilities, the event stream.
    tokensPerCall: { direct: median(counts.direct), api: median(counts.api) },
    directMs: Math.round(median(times.direct) * 10) / 10,
    apiMs: Math.round(median(times.api) * 10) / 10,
    apiOverheadMs: Math.round((median(times.api) - median(times.direct)) * 10) / 10,
    // The same request answered as one JSON object (stream: false): what the request costs without the event stream,
    // whose per-token work shares the main thread with node-llama-cpp's own per-token loop.
    apiJsonMs: Math.round(median(times.apiJson) * 10) / 10,
    apiJsonOverheadMs: Math.round((median(times.apiJson) - median(times.direct)) * 10) / 10,
  } as const;
}
