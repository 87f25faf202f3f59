import { z } from "zod";
import { sameModel } from "./ref";

/**
 * What the model picker says about a model: a label, one line of description, and whether it is an untuned
 * comparison model. Defaults cover the two known models; MEDGPT_MODEL_CATALOGUE (JSON, name → entry) adds or
 * overrides entries. Any other model is shown by its name.
 */
export const CatalogueEntrySchema = z.strictObject({
  label: z.string().trim().min(1).max(80),
  description: z.string().trim().max(200).default(""),
  comparison: z.boolean().default(false),
});
export type CatalogueEntry = z.infer<typeof CatalogueEntrySchema>;
export const CatalogueSchema = z.record(z.string().min(1), CatalogueEntrySchema);
export type Catalogue = z.infer<typeof CatalogueSchema>;

export const DEFAULT_CATALOGUE: Catalogue = {
  "mrizwank97/medgpt": {
    label: "MedGPT",
    description: "Gemma 2 2B fine-tuned on about 3,700 USMLE-style cases with reasoning.",
    comparison: false,
  },
  "gemma2:2b": {
    label: "Gemma 2 2B (base)",
    description: "The untuned base model, for comparison only; not trained for this task.",
    comparison: true,
  },
};

/** The entry for a model name (`x` and `x:latest` are the same model), or null for a model the catalogue lacks. */
export function catalogueEntry(catalogue: Catalogue, name: string): CatalogueEntry | null {
  const key = Object.keys(catalogue).find((k) => sameModel(k, name));
  return key ? catalogue[key]! : null;
}
