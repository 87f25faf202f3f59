import type { z } from "zod";
import type {
  ComparisonView,
  DatasetViewSchema,
  ImportResponseSchema,
  Distributions,
  ItemDetail,
  JudgesResponse,
  ResultsPage,
  RunView,
} from "@/eval/api/schemas";
import type { DatasetFormat } from "@/eval/datasets/formats";
import type {
  Calibration,
  JudgeStatus,
  MirrorStatus,
  ModelSummary,
  ResultsFilter,
  ResultStatus,
  RunStatus,
} from "@/eval/domain";
import { LETTERS } from "@/lib/schemas/letters";
import {
  array,
  between,
  boolean,
  integer,
  nullable,
  number,
  object,
  oneOf,
  optional,
  partialRecord,
  reader,
  record,
  string,
  tuple,
  unknown,
  type Reader,
  type Shape,
} from "@/lib/schemas/read";

/**
 * The dashboard's readers of the evaluation API's answers, without zod, so the dashboard's pages do not load it
 * (about 45 kB gzip with the schemas). The zod schemas in eval/api/schemas.ts and eval/domain.ts stay the one
 * definition: each reader is typed by the type inferred from its schema (a field the schema gains or retypes fails
 * the typecheck), and read-eval.test.ts checks that reader and schema judge every one-field corruption of valid
 * answers alike. The lists of values below are checked against the schemas' own lists there too.
 */

// ---- The domain's value lists (eval/domain.ts), as the browser needs them ----

/** RunStatusSchema's values, in its order (the runs table's status filter lists them so). */
export const RUN_STATUSES = [
  "queued",
  "running",
  "completed",
  "partial",
  "cancelled",
  "failed",
  "interrupted",
] as const satisfies readonly RunStatus[];
export const ACTIVE_STATUSES: readonly RunStatus[] = ["queued", "running"];
export const RESULTS_FILTERS = [
  "all",
  "wrong",
  "errors",
  "disagree",
  "unparseable",
] as const satisfies readonly ResultsFilter[];
export const MIRROR_STATUSES = ["disabled", "pending", "mirrored", "failed"] as const satisfies readonly MirrorStatus[];
export const RESULT_STATUSES = ["ok", "error"] as const satisfies readonly ResultStatus[];
export const JUDGE_STATUSES = ["scored", "unparseable", "error"] as const satisfies readonly JudgeStatus[];
export const DATASET_FORMATS = ["medical-reasoning", "medqa", "mcq-csv"] as const satisfies readonly DatasetFormat[];

/** Each list names every value of its type (a value the schema gains fails here). */
type Covers<List extends readonly string[], T extends string> = [Exclude<T, List[number]>] extends [never]
  ? true
  : never;
export const COVERED: [
  Covers<typeof RUN_STATUSES, RunStatus>,
  Covers<typeof RESULTS_FILTERS, ResultsFilter>,
  Covers<typeof MIRROR_STATUSES, MirrorStatus>,
  Covers<typeof RESULT_STATUSES, ResultStatus>,
  Covers<typeof JUDGE_STATUSES, JudgeStatus>,
  Covers<typeof DATASET_FORMATS, DatasetFormat>,
] = [true, true, true, true, true, true];

// ---- Shapes ----

const letter = oneOf(LETTERS);
const nullableString = nullable(string);
const nullableNumber = nullable(number);
const interval = nullable(tuple(number, number));

const calibrationShape: Shape<Calibration> = object({
  n: integer,
  ece: number,
  brier: nullableNumber,
  brierN: integer,
  bins: array(object({ lo: number, hi: number, count: integer, meanConfidence: number, accuracy: number })),
  selective: object({ at50: number, at80: number, at100: number }),
  aurc: number,
});

const modelSummaryShape: Shape<ModelSummary> = object({
  model: string,
  total: integer,
  completed: integer,
  answered: integer,
  correct: integer,
  accuracy: nullableNumber,
  accuracyCi: interval,
  formatOk: integer,
  judgeMean: nullableNumber,
  judgeCi: interval,
  judged: integer,
  unparseableVerdicts: integer,
  judgeErrors: integer,
  latencyP50Ms: nullableNumber,
  latencyP95Ms: nullableNumber,
  tokensPerSecond: nullableNumber,
  errors: integer,
  calibration: nullable(calibrationShape),
  vote: nullable(object({ correct: integer, accuracy: nullableNumber, calibration: nullable(calibrationShape) })),
});

const runViewShape: Shape<RunView> = object({
  id: string,
  datasetId: string,
  datasetName: nullableString,
  status: oneOf(RUN_STATUSES),
  models: array(string),
  items: integer,
  total: integer,
  done: integer,
  errors: integer,
  judged: integer,
  judge: nullableString,
  createdAt: string,
  startedAt: nullableString,
  finishedAt: nullableString,
  error: nullableString,
  mirror: object({ status: oneOf(MIRROR_STATUSES), error: nullableString, url: nullableString }),
  config: record(unknown),
  name: nullableString,
  notes: nullableString,
  warnings: array(string),
  settings: object({
    models: array(string),
    backend: nullableString,
    temperature: number,
    maxTokens: integer,
    seed: integer,
    samples: integer,
    promptFormats: nullable(record(string)),
    judge: nullableString,
    judgePromptVersion: nullableString,
    createdBy: nullableString,
    createdAt: string,
  }),
  summary: optional(array(modelSummaryShape)),
});

const modelAnswerFields = {
  model: string,
  status: oneOf([...RESULT_STATUSES, "pending"]),
  letter: nullable(letter),
  exact: nullable(boolean),
  formatOk: nullable(boolean),
  latencyMs: nullableNumber,
  error: nullableString,
  judgeScore: nullableNumber,
  judgeStatus: nullable(oneOf(JUDGE_STATUSES)),
  confidence: nullableNumber,
  voteLetter: nullable(letter),
  agreement: nullableNumber,
};

const resultsPageShape: Shape<ResultsPage> = object({
  page: integer,
  pageSize: integer,
  totalRows: integer,
  rows: array(
    object({
      itemIdx: integer,
      number: integer,
      caseExcerpt: string,
      reference: letter,
      answers: array(object(modelAnswerFields)),
    }),
  ),
});

const itemDetailShape: Shape<ItemDetail> = object({
  itemIdx: integer,
  number: integer,
  previous: nullable(integer),
  next: nullable(integer),
  sourceLine: integer,
  caseText: string,
  options: record(string),
  reference: object({ letter, text: string, reasoning: nullableString }),
  answers: array(
    object({
      ...modelAnswerFields,
      raw: nullableString,
      analysis: nullableString,
      judgeExplanation: nullableString,
      judgeRaw: nullableString,
      judgeError: nullableString,
      attempts: integer,
      probabilities: nullable(partialRecord(LETTERS, between(0, 1))),
      samples: array(object({ letter: nullable(letter), confidence: nullableNumber })),
    }),
  ),
});

const side = object({ runId: string, model: string });
const pairedAnswer = object({ letter: nullable(letter), exact: boolean, judgeScore: nullableNumber });
const comparisonShape: Shape<ComparisonView> = object({
  a: side,
  b: side,
  paired: integer,
  accuracyA: nullableNumber,
  accuracyB: nullableNumber,
  accuracyDiff: nullableNumber,
  accuracyDiffCi: interval,
  discordant: object({ aOnly: integer, bOnly: integer }),
  mcnemarP: number,
  judge: object({ wins: integer, losses: integer, ties: integer, skipped: integer }),
  differing: array(
    object({ itemIdx: integer, letterA: nullableString, letterB: nullableString, exactA: boolean, exactB: boolean }),
  ),
  page: integer,
  pageSize: integer,
  filter: oneOf(RESULTS_FILTERS),
  totalRows: integer,
  rows: array(object({ itemIdx: integer, caseExcerpt: string, reference: letter, a: pairedAnswer, b: pairedAnswer })),
});

/** A dataset as GET /api/datasets lists it. */
export type DatasetView = z.infer<typeof DatasetViewSchema>;
const datasetViewShape: Shape<DatasetView> = object({
  id: string,
  name: string,
  format: oneOf(DATASET_FORMATS),
  source: nullableString,
  itemCount: integer,
  rejectedCount: integer,
  createdAt: string,
});

/** What POST /api/datasets answers. */
export type ImportResponse = z.infer<typeof ImportResponseSchema>;

const distributionsShape: Shape<Distributions> = object({
  points: array(
    object({
      model: string,
      status: oneOf(RESULT_STATUSES),
      latencyMs: nullableNumber,
      judgeScore: nullableNumber,
      judgeStatus: nullable(oneOf(JUDGE_STATUSES)),
    }),
  ),
});

const judgesShape: Shape<JudgesResponse> = object({
  default: string,
  providers: array(
    object({
      provider: string,
      example: string,
      available: boolean,
      reason: nullableString,
      models: nullable(array(string)),
    }),
  ),
});

// ---- Readers, one per answer the dashboard reads ----

export const RunViewReader: Reader<RunView> = reader("The run", runViewShape);
export const RunsListReader: Reader<{ runs: RunView[] }> = reader(
  "The runs list",
  object({ runs: array(runViewShape) }),
);
export const DatasetsListReader: Reader<{ datasets: DatasetView[] }> = reader(
  "The datasets list",
  object({ datasets: array(datasetViewShape) }),
);
export const ImportResponseReader: Reader<ImportResponse> = reader(
  "The import's answer",
  object({
    dataset: datasetViewShape,
    existing: boolean,
    accepted: integer,
    rejected: array(object({ line: integer, reason: string })),
  }),
);
export const ResultsPageReader: Reader<ResultsPage> = reader("The results page", resultsPageShape);
export const ItemDetailReader: Reader<ItemDetail> = reader("The question's detail", itemDetailShape);
export const ComparisonReader: Reader<ComparisonView> = reader("The comparison", comparisonShape);
export const DistributionsReader: Reader<Distributions> = reader("The distributions", distributionsShape);
export const JudgesResponseReader: Reader<JudgesResponse> = reader("The judges list", judgesShape);
