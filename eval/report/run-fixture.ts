import type { Db } from "@/eval/store/connection";
import { saveDataset } from "@/eval/store/datasets";
import { emptyResult, insertResult, insertVerdict } from "@/eval/store/results";
import { createRun, type RunRow } from "@/eval/store/runs";
import type { RunConfig } from "@/eval/runner/run-config";
import type { Letter, Options } from "@/lib/schemas/options";

/**
 * For the report tests: a run with every kind of answer the dashboard shows, written through the store's functions
 * as the runner writes them. Seeded, so a failing case can be replayed. Per item and model: no result yet, a failed
 * generation, or an answer (a letter or none; right, wrong, or not graded), with or without a confidence and
 * per-option probabilities, with or without the stored reference (older rows), with or without a vote
 * (`selfConsistent`); and a verdict that scored, could not be read, failed, or is missing.
 */
export function seedMixedRun(
  db: Db,
  opts: { items: number; models: string[]; seed: number; itemIdxs?: number[]; selfConsistent?: boolean },
): RunRow {
  const rand = mulberry32(opts.seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const chance = (p: number) => rand() < p;
  const items = Array.from({ length: opts.items }, (_, i) => {
    const letters = LETTERS.slice(0, chance(0.3) ? 5 : 4);
    const options = Object.fromEntries(
      letters.map((l, k) => [l, OPTION_TEXTS[(i + k) % OPTION_TEXTS.length]!]),
    ) as Options;
    const long = chance(0.3) ? " The history is long. ".repeat(12) : "";
    return {
      sourceLine: i + 1,
      caseText: `Case ${i + 1}: ${pick(FINDINGS)}.${long} Which is the most likely diagnosis?`,
      options,
      referenceLetter: pick(letters),
      referenceReasoning: null,
    };
  });
  const { dataset } = saveDataset(db, {
    name: `mixed-${opts.seed}`,
    source: null,
    format: "medqa",
    contentHash: `mixed-${opts.seed}-${opts.items}-${rand()}`,
    items,
    rejected: [],
  });
  const config: RunConfig = {
    models: opts.models,
    limit: null,
    sample: null,
    seed: opts.seed,
    temperature: 0,
    maxTokens: 256,
    concurrency: 1,
    judgeConcurrency: 1,
    judge: null,
    ...(opts.selfConsistent ? { samples: 5 } : {}),
  };
  const itemIdxs = opts.itemIdxs ?? items.map((_, i) => i);
  const run = createRun(db, { datasetId: dataset.id, config, itemIdxs, mirror: false });
  for (const itemIdx of itemIdxs) {
    const item = items[itemIdx]!;
    const letters = Object.keys(item.options) as Letter[];
    for (const model of opts.models) {
      if (chance(0.1)) continue; // not answered yet
      const base = emptyResult({ runId: run.id, itemIdx, model });
      if (chance(0.08)) {
        insertResult(db, { ...base, status: "error", attempts: 3, error: "model server answered 500" });
        continue;
      }
      const letter = chance(0.06) ? null : chance(0.55) ? item.referenceLetter : pick(letters);
      const confidence = chance(0.2) ? null : Math.round(rand() * 20) / 20; // ties on purpose
      const votes = opts.selfConsistent && chance(0.9);
      const voteLetter = votes ? (chance(0.1) ? null : pick(letters)) : null;
      insertResult(db, {
        ...base,
        raw: `<analysis>Because.</analysis><answer>${letter ?? "?"}</answer>`,
        letter,
        exact: chance(0.03) ? null : letter === item.referenceLetter,
        formatOk: chance(0.9),
        latencyMs: chance(0.05) ? null : Math.round(rand() * 50_000) / 10,
        firstTokenMs: 120,
        evalCount: 200,
        tokensPerSecond: chance(0.05) ? null : 20 + rand() * 40,
        confidence,
        probabilities:
          confidence !== null && chance(0.7)
            ? Object.fromEntries(letters.map((l) => [l, l === letter ? confidence : (1 - confidence) / 4]))
            : null,
        referenceLetter: chance(0.3) ? null : item.referenceLetter,
        voteLetter,
        voteExact: votes ? voteLetter === item.referenceLetter : null,
        agreement: votes ? Math.round((0.2 + rand() * 0.8) * 5) / 5 : null,
      });
      if (chance(0.15)) continue; // not judged yet
      const status = chance(0.1) ? "unparseable" : chance(0.1) ? "error" : "scored";
      insertVerdict(db, {
        runId: run.id,
        itemIdx,
        model,
        status,
        score: status === "scored" ? 1 + Math.floor(rand() * 5) : null,
        explanation: status === "scored" ? "Sound reasoning." : null,
        raw: status === "error" ? null : "{}",
        error: status === "scored" ? null : "judge failed",
        judgeModel: "judge",
        attempts: 1,
      });
    }
  }
  return run;
}

const LETTERS: Letter[] = ["A", "B", "C", "D", "E"];
const FINDINGS = [
  "a dry cough and bilateral hilar lymphadenopathy",
  "vertigo, tinnitus and hearing loss (Ménière disease suspected)",
  "FEVER every 48 hours after a safari",
  "a resting tremor and a shuffling gait",
  "crushing chest pain radiating to the jaw",
];
const OPTION_TEXTS = [
  "Sarcoidosis",
  "Tuberculosis",
  "Plasmodium vivax",
  "Levodopa-carbidopa",
  "Ménière disease",
  "GERD",
];

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
