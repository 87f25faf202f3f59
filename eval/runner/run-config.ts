import { z } from "zod";

/** What a run was asked to do; stored as JSON with the run so it can be reproduced. */
export const RunConfigSchema = z.object({
  models: z.array(z.string().min(1)).min(1).max(4),
  limit: z.int().min(1).nullable(),
  sample: z.int().min(1).nullable(),
  /** Seed of the random sample and of generation. */
  seed: z.int().min(0),
  temperature: z.number().min(0).max(2),
  maxTokens: z.int().min(1).max(4096),
  concurrency: z.int().min(1).max(16),
  judgeConcurrency: z.int().min(1).max(16),
  /** null: no judge. Otherwise the full spec (provider, model, prompts, params). */
  judge: z
    .object({
      provider: z.enum(["groq", "ollama"]),
      model: z.string(),
      systemPrompt: z.string(),
      userPromptTemplate: z.string(),
      params: z.object({
        temperature: z.number(),
        maxTokens: z.int(),
        responseFormat: z.enum(["json_object"]).nullable(),
      }),
    })
    .nullable(),
});
export type RunConfig = z.infer<typeof RunConfigSchema>;

/**
 * queued → running → completed | partial (some items failed) | cancelled | failed (cannot go on, e.g. model missing)
 * | interrupted (the process stopped or the model server went away; resumable). Any but completed can be resumed.
 */
export type RunStatus = "queued" | "running" | "completed" | "partial" | "cancelled" | "failed" | "interrupted";
export const FINISHED_STATUSES: readonly RunStatus[] = ["completed", "partial", "cancelled", "failed", "interrupted"];
export const RESUMABLE_STATUSES: readonly RunStatus[] = ["partial", "cancelled", "failed", "interrupted"];
