import { z } from "zod";
import { MODEL_NAME_MAX_CHARS, MODEL_NAME_PATTERN } from "./limits";

export { MODEL_NAME_PATTERN };

/** A model name as /api/ask, the run form and the eval API accept it (the pattern is in limits.ts). */
export const ModelNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(MODEL_NAME_MAX_CHARS)
  .regex(MODEL_NAME_PATTERN, { error: "must be a model name such as mrizwank97/medgpt" });
