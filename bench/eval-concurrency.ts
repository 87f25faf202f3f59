/**
 * Wall time of a 93-item run at generation concurrency 1, 2 and 4, against the Ollama stand-in replaying the
 * recorded replies with a fixed per-chunk delay. Shows how much the runner overlaps requests; the speed-up
 * against a real Ollama depends on OLLAMA_NUM_PARALLEL and the GPU.
 */
import { readFileSync } from "node:fs";
import { loadConfig } from "@/lib/config";
import { openDb } from "@/eval/store/connection";
import { getResults } from "@/eval/store/results";
import { OllamaBackend } from "@/lib/inference/ollama";
import { importIntoDb } from "@/eval/datasets/import";
import { executeRun } from "@/eval/runner/execute";
import { newRun } from "@/eval/runner/new-run";
import { hasShared, sharedPath } from "@/test-support/shared-data";
import { startOllamaStandin } from "@/test-support/ollama-standin";
import { runRequest } from "@/test-support/run-request";

export async function benchEvalConcurrency(opts: { tokenDelayMs: number; levels: number[] }) {
  if (!hasShared) return { skipped: "../shared is absent (needs the 93-case test split)" } as const;
  const standin = await startOllamaStandin({ tokenDelayMs: opts.tokenDelayMs });
  const backend = new OllamaBackend({ host: standin.url, timeoutMs: 60_000 });
  const config = loadConfig({ MEDGPT_JUDGE: "none" });
  const text = readFileSync(sharedPath("data", "medical-reasoning-test93.jsonl"), "utf8");
  const rows: { concurrency: number; wallMs: number; correct: number; speedup: number }[] = [];
  try {
    for (const concurrency of opts.levels) {
      const db = openDb(":memory:");
      const datasetId = importIntoDb(db, text, { name: "test93" }).dataset.id;
      const run = await newRun(db, backend, config, runRequest(datasetId, { concurrency }));
      const t0 = performance.now();
      await executeRun(db, run, { backend, judge: null, config });
      const wallMs = performance.now() - t0;
      const correct = getResults(db, run.id).filter((r) => r.exact).length;
      rows.push({ concurrency, wallMs: Math.round(wallMs), correct, speedup: 0 });
      db.close();
    }
  } finally {
    await standin.stop();
  }
  const base = rows[0]!.wallMs;
  for (const r of rows) r.speedup = Math.round((base / r.wallMs) * 100) / 100;
  return { tokenDelayMs: opts.tokenDelayMs, rows } as const;
}
