import { z } from "zod";
import { JUDGE_PROVIDER_IDS } from "@/eval/scorers/judges";
import { ModelNameSchema } from "@/lib/schemas/model-name";

/** Everything needed to reproduce a judge: provider, model, prompts and parameters. Stored with the run. */
export const JudgeSpecSchema = z.object({
  provider: z.enum(JUDGE_PROVIDER_IDS),
  model: z.string(),
  systemPrompt: z.string(),
  userPromptTemplate: z.string(),
  params: z.object({
    temperature: z.number(),
    maxTokens: z.int(),
    responseFormat: z.enum(["json_object"]).nullable(),
  }),
});
export type JudgeSpec = z.infer<typeof JudgeSpecSchema>;

/** What a run was asked to do; stored as JSON with the run so it can be reproduced. */
export const RunConfigSchema = z.object({
  models: z.array(ModelNameSchema).min(1).max(4),
  limit: z.int().min(1).nullable(),
  sample: z.int().min(1).nullable(),
  /** Seed of the random sample and of generation. */
  seed: z.int().min(0),
  temperature: z.number().min(0).max(2),
  maxTokens: z.int().min(1).max(4096),
  /** Generations per question (self-consistency); absent on runs created before it existed, which means 1. */
  samples: z.int().min(1).max(20).optional(),
  /** The inference backend that served the run (recorded at creation). */
  backend: z.string().optional(),
  /** The prompt format each model was asked in (recorded at creation). */
  promptFormats: z.record(z.string(), z.string()).optional(),
  concurrency: z.int().min(1).max(16),
  judgeConcurrency: z.int().min(1).max(16),
  /** null: no judge. Otherwise the full spec, so a resumed run is judged exactly as it started. */
  judge: JudgeSpecSchema.nullable(),
});
export type RunConfig = z.infer<typeof RunConfigSchema>;
