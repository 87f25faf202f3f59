import "server-only";
import { log } from "@/lib/observability/log";
import { DEFAULT_CACHE_DIR, findPulledModel, pullModel } from "./registry";

/**
 * Where the embedded backend's GGUF comes from, in order: MEDGPT_GGUF (used as given, even if missing, so
 * that a typo is reported rather than silently replaced), then a model already pulled into the cache, then
 * (only when asked) a pull from the registry.
 */

export type EmbeddedModelSource = {
  /** MEDGPT_GGUF */
  gguf?: string;
  /** MEDGPT_MODEL, e.g. mrizwank97/medgpt */
  modelName: string;
  /** MEDGPT_MODELS_DIR (default ./data/models) */
  modelsDir?: string;
  /** MEDGPT_REGISTRY_URL (default https://registry.ollama.ai) */
  registryUrl?: string;
};

export type ResolvedModel = { path: string; source: "MEDGPT_GGUF" | "cache" };

/** The GGUF to load without any network, or null when it would have to be pulled. */
export async function resolveEmbeddedModelPath(src: EmbeddedModelSource): Promise<ResolvedModel | null> {
  if (src.gguf) return { path: src.gguf, source: "MEDGPT_GGUF" };
  const cached = await findPulledModel(src.modelName, src.modelsDir ?? DEFAULT_CACHE_DIR).catch(() => null);
  return cached ? { path: cached, source: "cache" } : null;
}

/** Resolves, pulling the model if needed (progress in getPullState()). Throws AppError. */
export async function ensureEmbeddedModel(
  src: EmbeddedModelSource,
  opts: { signal?: AbortSignal; onProgress?: (received: number, total: number) => void } = {},
): Promise<string> {
  const resolved = await resolveEmbeddedModelPath(src);
  if (resolved) return resolved.path;
  return pullModel(src.modelName, {
    cacheDir: src.modelsDir ?? DEFAULT_CACHE_DIR,
    ...(src.registryUrl && { registryBaseUrl: src.registryUrl }),
    ...opts,
  });
}

/** Starts a pull in the background; its outcome is visible in getPullState() (for /api/health). */
export function startBackgroundPull(src: EmbeddedModelSource): void {
  ensureEmbeddedModel(src).catch((err: unknown) => {
    log().warn({ event: "model_pull_failed", model: src.modelName, err }, "model pull failed");
  });
}
