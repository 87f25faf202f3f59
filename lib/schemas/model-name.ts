import { z } from "zod";

/**
 * A model reference as Ollama, vLLM and the registry spell it: `[host/][namespace/]model[:tag]`, e.g.
 * `mrizwank97/medgpt:latest`. The one pattern shared by /api/ask, the run form and the eval API.
 */
export const MODEL_NAME_PATTERN = /^[A-Za-z0-9._:\/-]+$/;

export const ModelNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(MODEL_NAME_PATTERN, { error: "must be a model name such as mrizwank97/medgpt" });
