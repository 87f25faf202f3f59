import "server-only";
import type { AppConfig } from "@/lib/config";
import type { Db } from "@/eval/store/connection";
import type { RunRow } from "@/eval/store/runs";
import { AppError } from "@/lib/errors";
import { OllamaBackend } from "@/lib/inference/ollama";
import type { InferenceBackend } from "@/lib/inference/types";
import type { CreateRunRequest } from "@/eval/api/schemas";
import { createJudge } from "@/eval/scorers/judge-factory";
import { resolvePromptFormat } from "@/lib/prompt";
import { prepareRun } from "./create";
import { judgeEnv } from "./judge";

/** A validated request; in-process callers (tests, bench) may leave samples out: 1. */
export type NewRunRequest = Omit<CreateRunRequest, "samples"> & { samples?: number };

/**
 * Turns a validated request (dashboard or CLI) into a queued run: resolves defaults from config, builds the judge
 * (so a missing GROQ_API_KEY is reported now, not after the generations), and runs the preflight checks.
 */
export async function newRun(
  db: Db,
  backend: InferenceBackend,
  config: AppConfig,
  req: NewRunRequest,
  signal?: AbortSignal,
  createdBy?: string,
): Promise<RunRow> {
  let judge;
  try {
    judge = createJudge(req.judge ?? config.defaultJudge, judgeEnv(config));
  } catch (err) {
    throw new AppError("invalid_request", (err as Error).message, {
      issues: [{ path: ["judge"], message: (err as Error).message }],
    });
  }
  // The judge talks to config.ollamaHost whatever MEDGPT_BACKEND is, so ask that Ollama, not the inference backend.
  // hasModel throws upstream_unavailable when the server is down, so that is reported as such, not as a missing model.
  if (
    judge?.spec.provider === "ollama" &&
    !(await new OllamaBackend({ host: config.ollamaHost, timeoutMs: config.upstreamTimeoutMs }).hasModel(
      judge.spec.model,
      signal,
    ))
  ) {
    throw new AppError("model_not_found", `Judge model '${judge.spec.model}' is not available in Ollama.`, {
      fix: `Pull it with \`ollama pull ${judge.spec.model}\`, or choose another judge.`,
    });
  }
  return prepareRun(
    db,
    backend,
    {
      datasetId: req.datasetId,
      models: [...new Set(req.models)],
      limit: req.limit,
      sample: req.sample,
      seed: req.seed,
      temperature: req.temperature,
      maxTokens: req.maxTokens,
      samples: req.samples ?? 1,
      promptFormats: Object.fromEntries(req.models.map((m) => [m, resolvePromptFormat(m, config.promptFormats)])),
      createdBy,
      concurrency: req.concurrency ?? config.evalConcurrency,
      judgeConcurrency: req.judgeConcurrency ?? config.judgeConcurrency,
      judge: judge?.spec ?? null,
      mirror: config.weave !== null,
    },
    signal,
  );
}
