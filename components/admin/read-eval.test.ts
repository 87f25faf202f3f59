import { describe, expect, it } from "vitest";
import {
  ComparisonSchema,
  DatasetsListSchema,
  DistributionsSchema,
  ImportResponseSchema,
  ItemDetailSchema,
  JudgesResponseSchema,
  ResultsPageSchema,
  RunsListSchema,
  RunViewSchema,
} from "@/eval/api/schemas";
import { DATASET_FORMATS as FORMATS } from "@/eval/datasets/formats";
import {
  ACTIVE_STATUSES as ACTIVE,
  JudgeStatusSchema,
  MirrorStatusSchema,
  ResultsFilterSchema,
  ResultStatusSchema,
  RUN_STATUSES as STATUSES,
} from "@/eval/domain";
import { disagreements, type ReaderCase } from "@/test-support/reader-agreement";
import {
  ACTIVE_STATUSES,
  ComparisonReader,
  DATASET_FORMATS,
  DatasetsListReader,
  DistributionsReader,
  ImportResponseReader,
  ItemDetailReader,
  JUDGE_STATUSES,
  JudgesResponseReader,
  MIRROR_STATUSES,
  RESULT_STATUSES,
  RESULTS_FILTERS,
  ResultsPageReader,
  RUN_STATUSES,
  RunsListReader,
  RunViewReader,
} from "./read-eval";
import { calibration, runView, summary } from "./run-fixture";

// The dashboard's zod-free readers against the evaluation API's zod schemas (see test-support/reader-agreement.ts):
// a reader that let through what the server's own schema forbids, or refused what it allows, fails here.

const RUN = runView({
  judge: "groq:mixtral-8x7b-32768",
  name: "Fine-tune vs base",
  warnings: ["The judge failed on 2 questions."],
  config: { seed: 42, nested: { any: ["thing"] } },
  summary: [
    summary("medgpt", {
      calibration: calibration([{ lo: 0.9, count: 3, right: 2 }]),
      vote: { correct: 2, accuracy: 2 / 3, calibration: null },
    }),
    summary("base", { accuracy: null, accuracyCi: null, judgeMean: null, calibration: null, vote: null }),
  ],
});
const ANSWER = {
  model: "medgpt",
  status: "ok",
  letter: "B",
  exact: true,
  formatOk: true,
  latencyMs: 812.5,
  error: null,
  judgeScore: 4,
  judgeStatus: "scored",
  confidence: 0.91,
  voteLetter: "B",
  agreement: 0.8,
};
const PENDING = { ...ANSWER, status: "pending", letter: null, exact: null, formatOk: null, judgeStatus: null };
const RESULTS = {
  page: 1,
  pageSize: 25,
  totalRows: 1,
  rows: [{ itemIdx: 0, number: 1, caseExcerpt: "A 40-year-old…", reference: "B", answers: [ANSWER, PENDING] }],
};
const DETAIL_ANSWER = {
  ...ANSWER,
  raw: "Analysis… Answer: B",
  analysis: "Analysis…",
  judgeExplanation: "Right, with sound reasoning.",
  judgeRaw: '{"score": 4}',
  judgeError: null,
  attempts: 1,
  probabilities: { A: 0.05, B: 0.91, C: 0.04 },
  samples: [
    { letter: "B", confidence: 0.9 },
    { letter: null, confidence: null },
  ],
};
const DETAIL = {
  itemIdx: 4,
  number: 5,
  previous: 3,
  next: null,
  sourceLine: 12,
  caseText: "A 40-year-old man has a headache.",
  options: { A: "Migraine", B: "Tension headache" },
  reference: { letter: "B", text: "Tension headache", reasoning: null },
  answers: [DETAIL_ANSWER, { ...DETAIL_ANSWER, probabilities: null, samples: [] }],
};
const COMPARISON = {
  a: { runId: "run_1", model: "medgpt" },
  b: { runId: "run_2", model: "gemma2:2b" },
  paired: 3,
  accuracyA: 2 / 3,
  accuracyB: 1 / 3,
  accuracyDiff: 1 / 3,
  accuracyDiffCi: [-0.2, 0.86],
  discordant: { aOnly: 1, bOnly: 0 },
  mcnemarP: 1,
  judge: { wins: 1, losses: 0, ties: 2, skipped: 0 },
  differing: [{ itemIdx: 1, letterA: "B", letterB: null, exactA: true, exactB: false }],
  page: 1,
  pageSize: 25,
  filter: "disagree",
  totalRows: 1,
  rows: [
    {
      itemIdx: 1,
      caseExcerpt: "A 40-year-old…",
      reference: "B",
      a: { letter: "B", exact: true, judgeScore: 4 },
      b: { letter: null, exact: false, judgeScore: null },
    },
  ],
};
const DATASET = {
  id: "ds_1",
  name: "Cardiology set",
  format: "medqa",
  source: null,
  itemCount: 93,
  rejectedCount: 2,
  createdAt: "2026-01-02T10:00:00.000Z",
};
const DISTRIBUTIONS = {
  points: [
    { model: "medgpt", status: "ok", latencyMs: 800, judgeScore: 4, judgeStatus: "scored" },
    { model: "base", status: "error", latencyMs: null, judgeScore: null, judgeStatus: null },
  ],
};
const JUDGES = {
  default: "groq:mixtral-8x7b-32768",
  providers: [
    { provider: "groq", example: "groq:mixtral-8x7b-32768", available: true, reason: null, models: ["mixtral"] },
    { provider: "openai", example: "openai:gpt-4o-mini", available: false, reason: "No key", models: null },
  ],
};

const CASES: ReaderCase[] = [
  { name: "run", reader: RunViewReader, schema: RunViewSchema, samples: [RUN, runView()] },
  { name: "runs list", reader: RunsListReader, schema: RunsListSchema, samples: [{ runs: [runView()] }, { runs: [] }] },
  { name: "results page", reader: ResultsPageReader, schema: ResultsPageSchema, samples: [RESULTS] },
  { name: "question", reader: ItemDetailReader, schema: ItemDetailSchema, samples: [DETAIL] },
  { name: "comparison", reader: ComparisonReader, schema: ComparisonSchema, samples: [COMPARISON] },
  {
    name: "comparison without pairs",
    reader: ComparisonReader,
    schema: ComparisonSchema,
    samples: [{ ...COMPARISON, accuracyDiff: null, accuracyDiffCi: null, differing: [], rows: [] }],
  },
  { name: "datasets", reader: DatasetsListReader, schema: DatasetsListSchema, samples: [{ datasets: [DATASET] }] },
  {
    name: "import",
    reader: ImportResponseReader,
    schema: ImportResponseSchema,
    samples: [{ dataset: DATASET, existing: false, accepted: 91, rejected: [{ line: 3, reason: "no options" }] }],
  },
  { name: "distributions", reader: DistributionsReader, schema: DistributionsSchema, samples: [DISTRIBUTIONS] },
  { name: "judges", reader: JudgesResponseReader, schema: JudgesResponseSchema, samples: [JUDGES] },
];

describe("the dashboard's zod-free readers", () => {
  for (const c of CASES) {
    it(`${c.name}: accepts what its schema accepts, with the same data`, () => {
      for (const sample of c.samples) {
        expect(c.schema.safeParse(sample).success).toBe(true);
        const read = c.reader.safeParse(sample);
        expect(read.success).toBe(true);
        if (read.success) expect(read.data).toEqual(c.schema.parse(sample));
      }
    });

    it(`${c.name}: rejects exactly what its schema rejects, field by field`, () => {
      const { found, rejected } = disagreements(c);
      expect(found).toEqual([]);
      expect(rejected).toBeGreaterThan(10);
    });
  }

  it("names the same values, in the same order, as the domain's schemas", () => {
    expect(RUN_STATUSES).toEqual(STATUSES);
    expect(ACTIVE_STATUSES).toEqual(ACTIVE);
    expect(RESULTS_FILTERS).toEqual(ResultsFilterSchema.options);
    expect(MIRROR_STATUSES).toEqual(MirrorStatusSchema.options);
    expect(RESULT_STATUSES).toEqual(ResultStatusSchema.options);
    expect(JUDGE_STATUSES).toEqual(JudgeStatusSchema.options);
    expect(DATASET_FORMATS).toEqual(FORMATS);
  });
});
