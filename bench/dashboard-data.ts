/**
 * Dashboard data at scale: a 10,000-question run (two models, confidence, per-option probabilities, judge verdicts)
 * in a temp SQLite file. Times the import of a generated 10,000-row MedQA JSONL through the real importer (median of
 * three), then the admin API handlers the run page calls (GET /api/runs/{id}, /results, /distributions), each called
 * with a Request as Next.js calls it and its body read: warm-up calls, then the median of at least 20. The confidence
 * order has no API parameter yet, so that row calls the view function the results handler calls. The summary is
 * timed twice: on an unchanged run (the kept summary) and right after a write to the run (computed afresh). Nothing
 * here is asserted in a test: timings depend on the machine.
 *
 *   npx tsx --conditions=react-server bench/dashboard-data.ts
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { getConfig } from "@/lib/config";
import type { Letter } from "@/lib/schemas/options";
import { importIntoDb } from "@/eval/datasets/import";
import { getDb, openDb, type Db } from "@/eval/store/connection";
import { getItems } from "@/eval/store/datasets";
import { emptyResult, getResults, insertResult, insertVerdict } from "@/eval/store/results";
import { claimRun, createRun, finishRun } from "@/eval/store/runs";
import { median } from "./stats";
import type { RunConfig } from "@/eval/runner/run-config";
import { ResultsQuerySchema } from "@/eval/api/schemas";
import { requireRun, resultsPage } from "@/eval/report/views";
import { GET as runRoute } from "@/app/api/runs/[id]/route";
import { GET as resultsRoute } from "@/app/api/runs/[id]/results/route";
import { GET as distributionsRoute } from "@/app/api/runs/[id]/distributions/route";

export type DashboardBenchRow = { name: string; medianMs: number; target: number | null };

const QUESTIONS = 10_000;
const MODELS = ["mrizwank97/medgpt", "gemma2:2b"];
const ADMIN_TOKEN = "bench-admin-token-0123456789abcdef";
const LETTERS = ["A", "B", "C", "D", "E"] as const;
const PAGE_TARGET_MS = 50;
const IMPORT_TARGET_MS = 5000;

/** Deterministic pseudo-random numbers (mulberry32), so every run of the bench sees the same data. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FINDINGS = [
  "a 3-day history of fever and productive cough",
  "progressive exertional dyspnea over 6 months",
  "crushing substernal chest pain radiating to the left arm",
  "painless jaundice and a 10-kg weight loss",
  "episodic headaches, palpitations and diaphoresis",
  "a pruritic, erythematous rash on the extensor surfaces",
  "polyuria, polydipsia and blurred vision",
  "sudden weakness of the right arm and slurred speech",
  "bloody diarrhea and crampy lower abdominal pain",
  "a non-tender, rubbery cervical lymph node",
];
const VITALS = [
  "Temperature is 38.9°C (102°F), pulse 112/min, respirations 24/min, and blood pressure 98/62 mm Hg.",
  "Vital signs are within normal limits.",
  "Blood pressure is 168/104 mm Hg and pulse is 88/min.",
  "Oxygen saturation is 89% on room air.",
];
const EXTRA = [
  "Her past medical history is notable for hypertension treated with lisinopril.",
  "He has smoked one pack of cigarettes daily for 30 years.",
  "Physical examination shows crackles at the right lung base.",
  "Laboratory studies show a leukocyte count of 15,800/mm3 and a serum creatinine of 1.9 mg/dL.",
  "An ECG shows ST-segment elevations in leads II, III and aVF.",
  "A CT scan of the abdomen shows a 3-cm mass in the head of the pancreas.",
  "There is no family history of serious illness.",
];
const ANSWERS = [
  "Sarcoidosis",
  "Community-acquired pneumonia",
  "Inferior wall myocardial infarction",
  "Pancreatic adenocarcinoma",
  "Pheochromocytoma",
  "Psoriasis vulgaris",
  "Type 1 diabetes mellitus",
  "Ischemic stroke of the left middle cerebral artery",
  "Ulcerative colitis",
  "Hodgkin lymphoma",
  "Pulmonary embolism",
  "Aortic dissection",
];

/** A 10,000-row MedQA JSONL file with varied case lengths (one to twelve extra sentences) and 4 or 5 options. */
export function generateMedqaJsonl(count = QUESTIONS, seed = 11): string {
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const sentences = [
      `A ${20 + Math.floor(rand() * 60)}-year-old patient comes to the clinic with ${pick(FINDINGS)}.`,
    ];
    const extra = 1 + Math.floor(rand() * 12);
    for (let k = 0; k < extra; k++) sentences.push(pick(EXTRA));
    sentences.push(pick(VITALS), `Which of the following is the most likely diagnosis? (case ${i + 1})`);
    const n = rand() < 0.7 ? 4 : 5;
    const start = Math.floor(rand() * ANSWERS.length);
    const options: Record<string, string> = {};
    for (let k = 0; k < n; k++) options[LETTERS[k]!] = ANSWERS[(start + k) % ANSWERS.length]!;
    const answerIdx = LETTERS[Math.floor(rand() * n)]!;
    lines.push(
      JSON.stringify({ question: sentences.join(" "), options, answer_idx: answerIdx, answer: options[answerIdx] }),
    );
  }
  return lines.join("\n") + "\n";
}

const JUDGE: RunConfig["judge"] = {
  provider: "groq",
  model: "openai/gpt-oss-120b",
  systemPrompt: "You grade clinical reasoning from 1 to 5.",
  userPromptTemplate: "Case: {case}\nReference: {reference}\nAnswer: {output}",
  params: { temperature: 0, maxTokens: 512, responseFormat: "json_object" },
};

/**
 * A finished run over every item, written through the store's functions as the runner writes them: per item and
 * model a result (letter, confidence, per-option probabilities, reference) and a verdict; about 1 % generation
 * errors, 2 % unreadable verdicts.
 */
export function seedBenchRun(db: Db, datasetId: string, options: { letters: Letter[]; reference: Letter }[]): string {
  const config: RunConfig = {
    models: MODELS,
    limit: null,
    sample: null,
    seed: 42,
    temperature: 0,
    maxTokens: 1024,
    concurrency: 2,
    judgeConcurrency: 2,
    judge: JUDGE,
    backend: "ollama",
  };
  const run = createRun(db, { datasetId, config, itemIdxs: options.map((_, i) => i), mirror: false, createdBy: "CLI" });
  if (!claimRun(db, run.id)) throw new Error("could not claim the bench run");
  const rand = rng(7);
  const filler = "The findings point to one diagnosis; the others do not explain the whole picture. ";
  // One transaction around the lot only to make seeding quick; each write is the runner's own call.
  db.transaction(() => {
    options.forEach(({ letters, reference }, itemIdx) => {
      MODELS.forEach((model, m) => {
        if (rand() < 0.01) {
          insertResult(db, {
            ...emptyResult({ runId: run.id, itemIdx, model }),
            status: "error",
            attempts: 3,
            error: "model server answered 500",
          });
          return;
        }
        const right = rand() < (m === 0 ? 0.62 : 0.48);
        const letter = right ? reference : letters[Math.floor(rand() * letters.length)]!;
        const confidence = Math.round((0.25 + rand() * 0.75) * 1000) / 1000;
        const rest = (1 - confidence) / (letters.length - 1);
        const probabilities = Object.fromEntries(letters.map((l) => [l, l === letter ? confidence : rest]));
        const raw = `<analysis>\n${filler.repeat(2 + Math.floor(rand() * 12))}\n</analysis>\n<answer>\n${letter}\n</answer>`;
        insertResult(db, {
          ...emptyResult({ runId: run.id, itemIdx, model }),
          status: "ok",
          raw,
          letter,
          exact: letter === reference,
          formatOk: rand() > 0.03,
          latencyMs: 800 + rand() * 4000,
          firstTokenMs: 100 + rand() * 300,
          evalCount: 80 + Math.floor(rand() * 400),
          tokensPerSecond: 40 + rand() * 30,
          attempts: 1,
          confidence,
          probabilities,
          referenceLetter: reference,
        });
        const unreadable = rand() < 0.02;
        insertVerdict(db, {
          runId: run.id,
          itemIdx,
          model,
          status: unreadable ? "unparseable" : "scored",
          score: unreadable ? null : 1 + Math.floor(rand() * 5),
          explanation: unreadable ? null : "The reasoning names the key finding and excludes the alternatives.",
          raw: unreadable ? "I cannot grade this." : '{"score": 4, "explanation": "…"}',
          error: unreadable ? "no score in the verdict" : null,
          judgeModel: JUDGE!.model,
          attempts: 1,
        });
      });
    });
  })();
  finishRun(db, run.id, "partial");
  return run.id;
}

const round2 = (v: number) => Math.round(v * 100) / 100;

type Handler = (request: Request, context: { params: Promise<{ id: string }> }) => Promise<Response>;

/** Calls a route handler as Next.js does and reads its whole body (the JSON a browser would receive). */
async function call(handler: Handler, runId: string, apiPath: string): Promise<void> {
  const request = new Request(`http://localhost${apiPath}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  const res = await handler(request, { params: Promise.resolve({ id: runId }) });
  if (res.status !== 200) throw new Error(`${apiPath} answered ${res.status}: ${await res.text()}`);
  await res.text();
}

/** Median wall time of `fn` after `warmup` untimed calls; `before` runs ahead of each call, untimed. */
async function timeIt(
  fn: () => Promise<void>,
  opts: { warmup: number; reps: number; before?: () => void },
): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < opts.warmup + opts.reps; i++) {
    opts.before?.();
    const t0 = performance.now();
    await fn();
    if (i >= opts.warmup) times.push(performance.now() - t0);
  }
  return round2(median(times));
}

/**
 * Runs the cases above and answers one row per case. It points the process's configuration (ADMIN_TOKEN,
 * MEDGPT_DB_PATH) at its temp database, so it must run before anything else in the process reads the configuration
 * (it throws otherwise), and it closes that database when done.
 */
export async function benchDashboardData(opts: { reps?: number; warmup?: number } = {}): Promise<DashboardBenchRow[]> {
  const reps = Math.max(20, opts.reps ?? 25);
  const warmup = opts.warmup ?? 5;
  const dir = mkdtempSync(path.join(os.tmpdir(), "medgpt-dashboard-bench-"));
  const dbPath = path.join(dir, "medgpt.db");
  // The admin routes read their database and token from the configuration, parsed once per process.
  process.env.ADMIN_TOKEN = ADMIN_TOKEN;
  process.env.MEDGPT_DB_PATH = dbPath;
  process.env.MEDGPT_JUDGE = "none";
  if (getConfig().dbPath !== dbPath) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error("benchDashboardData must run before anything else in the process reads the configuration");
  }
  const rows: DashboardBenchRow[] = [];
  const db = getDb(dbPath);
  try {
    const text = generateMedqaJsonl();
    // Median of three imports, each into a database of its own (the same file twice would be recognised).
    const importMs: number[] = [];
    let imported: Awaited<ReturnType<typeof importIntoDb>> | undefined;
    for (let i = 0; i < 3; i++) {
      const target = i === 0 ? db : openDb(path.join(dir, `import-${i}.db`));
      const t0 = performance.now();
      const done = await importIntoDb(target, text, { name: "bench-10k", filename: "bench-10k.jsonl" });
      importMs.push(performance.now() - t0);
      if (done.accepted !== QUESTIONS) throw new Error(`imported ${done.accepted} of ${QUESTIONS} rows`);
      if (i === 0) imported = done;
      else target.close();
    }
    rows.push({ name: "import 10,000 MedQA rows", medianMs: round2(median(importMs)), target: IMPORT_TARGET_MS });
    const datasetId = imported!.dataset.id;
    const runId = seedBenchRun(
      db,
      datasetId,
      getItems(db, datasetId).map((i) => ({
        letters: Object.keys(i.options) as Letter[],
        reference: i.referenceLetter,
      })),
    );

    // The runner commits item by item and SQLite folds its log into the file as it goes; seeding wrote everything in
    // one transaction, so fold it now rather than have the first timed reads search a 40 MB log.
    db.pragma("wal_checkpoint(TRUNCATE)");

    const results = (query: string) => () => call(resultsRoute, runId, `/api/runs/${runId}/results?${query}`);
    const summary = () => call(runRoute, runId, `/api/runs/${runId}`);
    const distributions = () => call(distributionsRoute, runId, `/api/runs/${runId}/distributions`);
    const sortedByConfidence = async () => {
      const query = ResultsQuerySchema.parse({ page: "1" });
      JSON.stringify(resultsPage(db, requireRun(db, runId), { ...query, sort: "confidence" }));
    };
    // A resumed run that fails an item again rewrites its error result: a change to the run, so its summary is
    // computed afresh on the next view.
    const failed = getResults(db, runId).find((r) => r.status === "error")!;
    const rewriteFailure = () => insertResult(db, failed);
    type Case = { name: string; fn: () => Promise<void>; target: number | null; before?: () => void };
    const cases: Case[] = [
      { name: "results: first page, default order", fn: results("page=1"), target: PAGE_TARGET_MS },
      { name: "results: wrong answers only, page 1", fn: results("page=1&filter=wrong"), target: PAGE_TARGET_MS },
      { name: "results: page 400 (rows 9,976-10,000)", fn: results("page=400"), target: PAGE_TARGET_MS },
      // The API has no sort parameter yet: the view function its handler calls, as the handler calls it.
      { name: "results: least confident first, page 1 (view)", fn: sortedByConfidence, target: PAGE_TARGET_MS },
      { name: "run summary (GET /api/runs/{id}), run unchanged", fn: summary, target: PAGE_TARGET_MS },
      {
        name: "run summary, right after a write to the run",
        fn: summary,
        target: PAGE_TARGET_MS,
        before: rewriteFailure,
      },
      {
        name: "run page: summary + first results page",
        fn: async () => {
          await summary();
          await results("page=1")();
        },
        target: PAGE_TARGET_MS,
      },
      { name: "distributions (charts, every result)", fn: distributions, target: null },
    ];
    for (const c of cases) {
      rows.push({ name: c.name, medianMs: await timeIt(c.fn, { warmup, reps, before: c.before }), target: c.target });
    }
    return rows;
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printDashboardRows(rows: DashboardBenchRow[]): void {
  const width = Math.max(...rows.map((r) => r.name.length));
  console.log(`${"case".padEnd(width)}  median ms  target ms  meets`);
  for (const r of rows) {
    const meets = r.target === null ? "" : r.medianMs < r.target ? "yes" : "NO";
    console.log(
      `${r.name.padEnd(width)}  ${r.medianMs.toFixed(2).padStart(9)}  ${(r.target === null ? "-" : String(r.target)).padStart(9)}  ${meets}`,
    );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  benchDashboardData()
    .then(printDashboardRows)
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
