import { sameModel } from "@/lib/models/ref";

/** How a model is prompted: the fine-tune's raw turn format, or the server's chat template. */
export type PromptFormat = "medgpt-raw" | "chat";

export const PROMPT_FORMATS: readonly PromptFormat[] = ["medgpt-raw", "chat"];

/** Any "medgpt" model (registry `mrizwank97/medgpt`, a local build from the Modelfile) is the fine-tune. */
export function defaultPromptFormat(model: string): PromptFormat {
  return /medgpt/i.test(model) ? "medgpt-raw" : "chat";
}

/**
 * An override names a model exactly; failing that, `x` and `x:latest` are the same model, as Ollama
 * treats them.
 */
export function resolvePromptFormat(model: string, overrides: Record<string, PromptFormat>): PromptFormat {
  if (Object.hasOwn(overrides, model)) return overrides[model]!;
  for (const [name, format] of Object.entries(overrides)) {
    if (sameModel(name, model)) return format;
  }
  return defaultPromptFormat(model);
}

/**
 * Parses `mymodel=medgpt-raw,other=chat` (the MEDGPT_PROMPT_FORMATS setting). Whitespace and empty
 * entries are ignored; a malformed entry or a model named twice is an error naming the entry.
 */
export function parsePromptFormatOverrides(s: string): Record<string, PromptFormat> {
  const overrides: Record<string, PromptFormat> = Object.create(null);
  for (const raw of s.split(",")) {
    const entry = raw.trim();
    if (entry === "") continue;
    const eq = entry.lastIndexOf("=");
    const model = eq === -1 ? "" : entry.slice(0, eq).trim();
    const format = eq === -1 ? "" : entry.slice(eq + 1).trim();
    if (eq === -1 || model === "") {
      throw new Error(`prompt format override ${JSON.stringify(entry)} must look like model=format`);
    }
    if (!(PROMPT_FORMATS as readonly string[]).includes(format)) {
      throw new Error(
        `prompt format override ${JSON.stringify(entry)}: unknown format ${JSON.stringify(format)} (expected ${PROMPT_FORMATS.join(" or ")})`,
      );
    }
    if (Object.hasOwn(overrides, model)) {
      throw new Error(
        `prompt format override ${JSON.stringify(entry)}: model ${JSON.stringify(model)} is listed twice`,
      );
    }
    overrides[model] = format as PromptFormat;
  }
  return overrides;
}
