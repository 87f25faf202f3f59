import { z } from "zod";
import { BackendModeSchema } from "@/lib/inference/modes";

/** A model a backend offers. */
export const ModelInfoSchema = z
  .object({
    name: z.string(),
    sizeBytes: z.number().nullable(),
    family: z.string().nullable(),
    parameterSize: z.string().nullable(),
    quantization: z.string().nullable(),
  })
  .meta({ id: "ModelInfo" });
export type ModelInfo = z.infer<typeof ModelInfoSchema>;

export const ModelsResponseSchema = z
  .object({
    backend: z.string(),
    defaultModel: z.string().describe("The server's MEDGPT_MODEL, preselected in the form."),
    models: z.array(
      ModelInfoSchema.extend({
        label: z.string().nullable().describe("A human name from the model catalogue; null for a model it lacks."),
        description: z.string().nullable().describe("One line about the model, from the catalogue."),
        comparison: z.boolean().describe("An untuned comparison model (e.g. the base model), not meant for answers."),
      }),
    ),
  })
  .meta({ id: "ModelsResponse" });
export type ModelsResponse = z.infer<typeof ModelsResponseSchema>;

export const HealthResponseSchema = z
  .object({
    status: z
      .enum(["ok", "degraded", "unavailable"])
      .describe("ok: backend reachable and default model present; degraded: model missing; unavailable: backend down."),
    backend: z.object({
      name: z.string(),
      reachable: z.boolean(),
      version: z.string().nullable(),
      detail: z.string().nullable(),
    }),
    defaultModel: z.object({ name: z.string(), present: z.boolean().nullable() }),
    mode: BackendModeSchema.describe("MEDGPT_BACKEND; with auto, backend.name says which one is in use."),
    pull: z
      .object({
        model: z.string().nullable(),
        status: z.enum(["idle", "downloading", "verifying", "done", "failed"]),
        receivedBytes: z.number(),
        totalBytes: z.number().nullable(),
        error: z.string().nullable(),
      })
      .nullable()
      .describe("The embedded engine's model download, when one has started."),
    fix: z.string().nullable().describe("What to do when status is not ok."),
  })
  .meta({ id: "HealthResponse" });
export type HealthResponse = z.infer<typeof HealthResponseSchema>;
