import { z } from "zod";

/**
 * Evaluation's domain types, each defined once as a zod schema; TypeScript types are inferred from them and the
 * API's view schemas (eval/api/schemas.ts) derive from them. Isomorphic: the dashboard imports these too.
 */

/**
 * queued → running → completed | partial (some items failed) | cancelled | failed (cannot go on, e.g. model missing)
 * | interrupted (the process stopped or the model server went away; resumable). Any but completed can be resumed.
 */
export const RUN_STATUSES = [
  "queued",
  "running",
  "completed",
  "partial",
  "cancelled",
  "failed",
  "interrupted",
] as const;
export const RunStatusSchema = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof RunStatusSchema>;
export const RESUMABLE_STATUSES: readonly RunStatus[] = ["partial", "cancelled", "failed", "interrupted"];
export const ACTIVE_STATUSES: readonly RunStatus[] = ["queued", "running"];

/** The Weave mirror of a run: disabled (Weave not configured), pending, mirrored, or failed (retryable). */
export const MirrorStatusSchema = z.enum(["disabled", "pending", "mirrored", "failed"]);
export type MirrorStatus = z.infer<typeof MirrorStatusSchema>;

/** A generation result: ok, or error (kept with its reason; retried on resume). */
export const ResultStatusSchema = z.enum(["ok", "error"]);
export type ResultStatus = z.infer<typeof ResultStatusSchema>;

/** A judge verdict: scored, unparseable (the judge's text had no readable score), or error (the call failed). */
export const JudgeStatusSchema = z.enum(["scored", "unparseable", "error"]);
export type JudgeStatus = z.infer<typeof JudgeStatusSchema>;

/** What the results table can be narrowed to. */
export const ResultsFilterSchema = z.enum(["all", "wrong", "errors", "disagree", "unparseable"]);
export type ResultsFilter = z.infer<typeof ResultsFilterSchema>;

const ci = z.tuple([z.number(), z.number()]);

/** Whether a model's confidence can be trusted (eval/scorers/calibration.ts defines each figure). */
export const CalibrationSchema = z
  .object({
    n: z.int().describe("Answers with a confidence."),
    ece: z.number().describe("Expected calibration error over 10 equal-width bins."),
    brier: z.number().nullable().describe("Multi-class Brier score over the answers with per-option probabilities."),
    brierN: z.int(),
    bins: z.array(
      z.object({ lo: z.number(), hi: z.number(), count: z.int(), meanConfidence: z.number(), accuracy: z.number() }),
    ),
    selective: z
      .object({ at50: z.number(), at80: z.number(), at100: z.number() })
      .describe("Accuracy of the most confident 50 %, 80 % and 100 % of the answers."),
    aurc: z.number().describe("Area under the risk–coverage curve (lower is better)."),
  })
  .meta({ id: "Calibration" });
export type Calibration = z.infer<typeof CalibrationSchema>;

/** One model's figures in a run. */
export const ModelSummarySchema = z
  .object({
    model: z.string(),
    total: z.int().describe("Items the run covers for this model."),
    completed: z.int().describe("Items with a finished generation (errors excluded)."),
    answered: z.int().describe("Completed items whose reply named an offered option."),
    correct: z.int(),
    accuracy: z
      .number()
      .nullable()
      .describe("correct / completed: errored items are reported separately, not counted as wrong."),
    accuracyCi: ci.nullable(),
    formatOk: z.int().describe("Completed replies with both <analysis> and <answer>."),
    judgeMean: z.number().nullable(),
    judgeCi: ci.nullable(),
    judged: z.int(),
    unparseableVerdicts: z.int(),
    judgeErrors: z.int(),
    latencyP50Ms: z.number().nullable(),
    latencyP95Ms: z.number().nullable(),
    tokensPerSecond: z.number().nullable(),
    errors: z.int(),
    calibration: CalibrationSchema.nullable().describe(
      "Of the first sample's confidence, over the completed answers that have one; null when none has.",
    ),
    vote: z
      .object({
        correct: z.int(),
        accuracy: z.number().nullable().describe("Accuracy of the voted letter (correct / completed)."),
        calibration: CalibrationSchema.nullable().describe("Of the agreement used as confidence."),
      })
      .nullable()
      .describe("Self-consistency (samples > 1); null for a single-sample run."),
  })
  .meta({ id: "ModelSummary" });
export type ModelSummary = z.infer<typeof ModelSummarySchema>;
