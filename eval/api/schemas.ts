import { z } from "zod";
import { DatasetFormatSchema } from "@/eval/datasets/formats";
import {
  JudgeStatusSchema,
  ResultsFilterSchema,
  MirrorStatusSchema,
  ModelSummarySchema,
  ResultStatusSchema,
  RunStatusSchema,
} from "@/eval/domain";
import { LetterSchema, ProbabilitiesSchema } from "@/lib/schemas/ask";
import { JudgeArgSchema } from "@/lib/schemas/judge-arg";
import { ModelNameSchema } from "@/lib/schemas/model-name";

/** The evaluation API's wire schemas: requests and views. Domain types come from eval/domain.ts. */

export { ModelSummarySchema };

export const CreateRunRequestSchema = z
  .strictObject({
    datasetId: z.string().min(1),
    models: z.array(ModelNameSchema).min(1).max(4),
    limit: z.int().min(1).max(100000).nullable().default(null),
    sample: z
      .int()
      .min(1)
      .max(100000)
      .nullable()
      .default(null)
      .describe("Seeded random sample size (overrides limit)."),
    seed: z
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(42),
    judge: JudgeArgSchema.optional().describe("none or <provider>:<model>; defaults to the server's MEDGPT_JUDGE."),
    concurrency: z.int().min(1).max(16).optional(),
    judgeConcurrency: z.int().min(1).max(16).optional(),
    temperature: z.number().min(0).max(2).default(0),
    maxTokens: z.int().min(1).max(4096).default(1024),
    samples: z
      .int()
      .min(1)
      .max(20)
      .default(1)
      .describe("Generations per question; more than 1 is self-consistency (majority vote) and needs temperature > 0."),
  })
  .refine((r) => r.samples === 1 || r.temperature > 0, {
    path: ["samples"],
    error: "more than one sample needs a temperature above 0 (at 0 every sample is the same)",
  })
  .meta({ id: "CreateRunRequest" });
export type CreateRunRequest = z.infer<typeof CreateRunRequestSchema>;

export const RunViewSchema = z
  .object({
    id: z.string(),
    datasetId: z.string(),
    datasetName: z.string().nullable(),
    status: RunStatusSchema.describe(
      "interrupted: stopped before the end (process stopped, model server gone); POST …/resume continues it.",
    ),
    models: z.array(z.string()),
    items: z.int(),
    total: z.int(),
    done: z.int(),
    errors: z.int(),
    judged: z.int(),
    judge: z.string().nullable(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    error: z.string().nullable(),
    mirror: z.object({
      status: MirrorStatusSchema,
      error: z.string().nullable(),
      url: z.string().nullable(),
    }),
    config: z.record(z.string(), z.unknown()),
    name: z.string().nullable().describe("The researcher's name for the run; show it in place of the id."),
    notes: z.string().nullable(),
    warnings: z
      .array(z.string())
      .describe("Problems a finished status does not show, e.g. a judge that failed on most answers."),
    settings: z
      .object({
        models: z.array(z.string()),
        backend: z.string().nullable(),
        temperature: z.number(),
        maxTokens: z.int(),
        seed: z.int(),
        samples: z.int(),
        promptFormats: z.record(z.string(), z.string()).nullable(),
        judge: z.string().nullable(),
        judgePromptVersion: z.string().nullable().describe("First 12 hex digits of the sha256 of the judge's prompts."),
        createdBy: z.string().nullable(),
        createdAt: z.string(),
      })
      .describe("What the run was asked to do, as stored with it."),
    summary: z.array(ModelSummarySchema).optional(),
  })
  .meta({ id: "Run" });
export type RunView = z.infer<typeof RunViewSchema>;

export const ResultsQuerySchema = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(25),
  filter: ResultsFilterSchema.default("all"),
  model: z.string().optional(),
  q: z.string().max(200).optional(),
});
export type ResultsQuery = z.infer<typeof ResultsQuerySchema>;

export const ModelAnswerSchema = z
  .object({
    model: z.string(),
    status: z
      .enum([...ResultStatusSchema.options, "pending"])
      .describe("pending: the model has not answered this question yet."),
    letter: LetterSchema.nullable(),
    exact: z.boolean().nullable(),
    formatOk: z.boolean().nullable(),
    latencyMs: z.number().nullable(),
    error: z.string().nullable(),
    judgeScore: z.number().nullable(),
    judgeStatus: JudgeStatusSchema.nullable(),
    confidence: z.number().nullable().describe("Probability of the letter, when the backend gave log-probabilities."),
    voteLetter: LetterSchema.nullable().describe("Self-consistency: the majority letter over the samples."),
    agreement: z.number().nullable().describe("Self-consistency: the share of samples that chose the voted letter."),
  })
  .meta({ id: "ModelAnswer" });

export const ResultsPageSchema = z
  .object({
    page: z.int(),
    pageSize: z.int(),
    totalRows: z.int(),
    rows: z.array(
      z.object({
        itemIdx: z.int().describe("0-based index in the dataset (the API's key)."),
        number: z.int().describe("The question's number as a person counts it: itemIdx + 1."),
        caseExcerpt: z.string(),
        reference: LetterSchema,
        answers: z.array(ModelAnswerSchema),
      }),
    ),
  })
  .meta({ id: "ResultsPage" });
export type ResultsPage = z.infer<typeof ResultsPageSchema>;

export const ItemDetailSchema = z
  .object({
    itemIdx: z.int(),
    number: z.int().describe("itemIdx + 1."),
    previous: z.int().nullable().describe("itemIdx of the run's previous question, in run order."),
    next: z.int().nullable().describe("itemIdx of the run's next question."),
    sourceLine: z.int(),
    caseText: z.string(),
    options: z.record(z.string(), z.string()),
    reference: z.object({ letter: LetterSchema, text: z.string(), reasoning: z.string().nullable() }),
    answers: z.array(
      ModelAnswerSchema.extend({
        raw: z.string().nullable(),
        analysis: z.string().nullable(),
        judgeExplanation: z.string().nullable(),
        judgeRaw: z.string().nullable(),
        judgeError: z.string().nullable(),
        attempts: z.int(),
        probabilities: ProbabilitiesSchema.nullable(),
        samples: z
          .array(z.object({ letter: LetterSchema.nullable(), confidence: z.number().nullable() }))
          .describe("Self-consistency: each sample's letter, in order; empty for a single-sample run."),
      }),
    ),
  })
  .meta({ id: "ItemDetail" });
export type ItemDetail = z.infer<typeof ItemDetailSchema>;

export const CompareQuerySchema = z.object({
  runA: z.string().min(1),
  modelA: z.string().min(1),
  runB: z.string().min(1),
  modelB: z.string().min(1),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(25),
  /** The results table's filters, on the paired items: wrong = either side wrong, disagree = letters differ. */
  filter: ResultsFilterSchema.default("disagree"),
  q: z.string().max(200).optional(),
});
export type CompareQuery = z.infer<typeof CompareQuerySchema>;

export const ComparisonSchema = z
  .object({
    a: z.object({ runId: z.string(), model: z.string() }),
    b: z.object({ runId: z.string(), model: z.string() }),
    paired: z.int(),
    accuracyA: z.number().nullable(),
    accuracyB: z.number().nullable(),
    accuracyDiff: z.number().nullable(),
    accuracyDiffCi: z
      .tuple([z.number(), z.number()])
      .nullable()
      .describe("95 % Wald interval for matched proportions, from the discordant counts."),
    discordant: z.object({ aOnly: z.int(), bOnly: z.int() }),
    mcnemarP: z.number(),
    judge: z.object({ wins: z.int(), losses: z.int(), ties: z.int(), skipped: z.int() }),
    differing: z
      .array(
        z.object({
          itemIdx: z.int(),
          letterA: z.string().nullable(),
          letterB: z.string().nullable(),
          exactA: z.boolean(),
          exactB: z.boolean(),
        }),
      )
      .describe("Every paired item whose letters differ (kept for the first version's clients; `rows` pages them)."),
    page: z.int(),
    pageSize: z.int(),
    filter: ResultsFilterSchema,
    totalRows: z.int(),
    rows: z.array(
      z.object({
        itemIdx: z.int(),
        caseExcerpt: z.string(),
        reference: LetterSchema,
        a: z.object({ letter: LetterSchema.nullable(), exact: z.boolean(), judgeScore: z.number().nullable() }),
        b: z.object({ letter: LetterSchema.nullable(), exact: z.boolean(), judgeScore: z.number().nullable() }),
      }),
    ),
  })
  .meta({ id: "Comparison" });
export type ComparisonView = z.infer<typeof ComparisonSchema>;

export const DatasetViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    format: DatasetFormatSchema,
    source: z.string().nullable(),
    itemCount: z.int(),
    rejectedCount: z.int(),
    createdAt: z.string(),
  })
  .meta({ id: "Dataset" });

/** One point per (item, model) with a result: what the dashboard's histograms are drawn from. */
export const DistributionsSchema = z
  .object({
    points: z.array(
      z.object({
        model: z.string(),
        status: ResultStatusSchema,
        latencyMs: z.number().nullable(),
        judgeScore: z.number().nullable(),
        judgeStatus: JudgeStatusSchema.nullable(),
      }),
    ),
  })
  .meta({ id: "Distributions" });
export type Distributions = z.infer<typeof DistributionsSchema>;

export const RunsListSchema = z.object({ runs: z.array(RunViewSchema) }).meta({ id: "RunsList" });
export const DatasetsListSchema = z.object({ datasets: z.array(DatasetViewSchema) }).meta({ id: "DatasetsList" });

export const ImportResponseSchema = z
  .object({
    dataset: DatasetViewSchema,
    existing: z.boolean().describe("true when the same content was imported before (recognised by hash)."),
    accepted: z.int(),
    rejected: z.array(z.object({ line: z.int(), reason: z.string() })),
  })
  .meta({ id: "ImportResponse" });

export const ImportJsonRequestSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    filename: z.string().max(300).optional(),
    text: z.string().min(1).optional(),
    huggingface: z
      .object({
        dataset: z.string().regex(/^[\w.-]+\/[\w.-]+$/),
        config: z.string().optional(),
        split: z.string().optional(),
        limit: z.int().min(1).optional(),
      })
      .optional(),
  })
  .refine((b) => (b.text === undefined) !== (b.huggingface === undefined), {
    error: "give exactly one of text or huggingface",
  })
  .meta({ id: "ImportJsonRequest" });

/** The judges this server can use: the dashboard offers these, never a list of its own. */
export const JudgesResponseSchema = z
  .object({
    default: z.string().describe("The judge new runs get when they name none (MEDGPT_JUDGE)."),
    providers: z.array(
      z.object({
        provider: z.string(),
        example: z.string().describe("A judge argument for this provider, e.g. groq:openai/gpt-oss-120b."),
        available: z.boolean(),
        reason: z.string().nullable().describe("Why it cannot be used here (e.g. no API key), when it cannot."),
        models: z
          .array(z.string())
          .nullable()
          .describe("Models this provider can judge with here, when it can tell (Ollama: the models pulled)."),
      }),
    ),
  })
  .meta({ id: "JudgesResponse" });
export type JudgesResponse = z.infer<typeof JudgesResponseSchema>;

/** PATCH /api/runs/{id}: a name and notes for the run (null or "" clears one; a missing field is left as it is). */
export const LabelRunRequestSchema = z
  .strictObject({
    name: z.string().max(120).nullable().optional(),
    notes: z.string().max(4000).nullable().optional(),
  })
  .meta({ id: "LabelRunRequest" });
