/**
 * npm run bench — performance claims, measured in one run and printed as ratios. Nothing here is asserted in
 * tests: timings depend on the machine.
 */
import { benchEmbeddedOverhead } from "./embedded-overhead";
import { benchEvalConcurrency } from "./eval-concurrency";

async function main() {
  console.log("== evaluation runner: 93 recorded cases, wall time by generation concurrency");
  const evalBench = await benchEvalConcurrency({ tokenDelayMs: 1, levels: [1, 2, 4] });
  if ("skipped" in evalBench) console.log(`skipped: ${evalBench.skipped}`);
  else {
    console.log(`stand-in delay per streamed chunk: ${evalBench.tokenDelayMs} ms`);
    console.log("concurrency  wall ms  correct  speed-up vs 1");
    for (const r of evalBench.rows) {
      console.log(
        `${String(r.concurrency).padStart(11)}  ${String(r.wallMs).padStart(7)}  ${String(r.correct).padStart(7)}  ${r.speedup.toFixed(2).padStart(13)}×`,
      );
    }
  }

  console.log("\n== embedded engine (tiny GGUF, 1 thread): tokens/s direct vs EmbeddedBackend vs POST /api/ask");
  const emb = await benchEmbeddedOverhead({ maxTokens: 200, reps: 9 });
  if ("skipped" in emb) console.log(`skipped: ${emb.skipped}`);
  else {
    console.log(`prompt ${emb.promptTokens} tokens, maxTokens ${emb.maxTokens}, ${emb.reps} alternating reps, medians`);
    console.log(`direct node-llama-cpp : ${emb.directTps} tok/s`);
    console.log(`EmbeddedBackend       : ${emb.backendTps} tok/s  (ratio ${emb.backendRatio})`);
    console.log(`POST /api/ask (HTTP)  : ${emb.apiTps} tok/s  (ratio ${emb.apiRatio})`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
