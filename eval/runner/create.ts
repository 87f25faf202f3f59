import "server-only";
import type { Db } from "@/eval/store/connection";
import { getDataset } from "@/eval/store/datasets";
import { createRun, type RunRow } from "@/eval/store/runs";
import { AppError } from "@/lib/errors";
import type { InferenceBackend } from "@/lib/inference/types";
import type { JudgeSpec } from "@/eval/types";
import type { RunConfig } from "./run-config";
import { selectItems } from "./select";

export type NewRun = Omit<RunConfig, "judge"> & {
  datasetId: string;
  judge: JudgeSpec | null;
  mirror: boolean;
  createdBy?: string;
};

/**
 * Checks that the run can start (dataset exists, backend reachable, every model present) and records it as
 * queued. Failing here, before any work, is what lets the CLI exit non-zero with a clear message.
 */
export async function prepareRun(
  db: Db,
  backend: InferenceBackend,
  spec: NewRun,
  signal?: AbortSignal,
): Promise<RunRow> {
  const dataset = getDataset(db, spec.datasetId);
  if (!dataset)
    throw new AppError("not_found", `Dataset ${spec.datasetId} does not exist.`, {
      fix: "Import it first, or pick one from GET /api/datasets.",
    });
  const health = await backend.health(signal);
  if (!health.reachable) {
    throw new AppError("upstream_unavailable", health.detail ?? `The ${backend.name} backend is unreachable.`);
  }
  for (const model of spec.models) {
    if (!(await backend.hasModel(model, signal))) {
      throw new AppError("model_not_found", `Model '${model}' is not available on the ${backend.name} backend.`, {
        fix:
          backend.name === "ollama" ? `Pull it with \`ollama pull ${model}\`.` : "Choose a model from GET /api/models.",
      });
    }
  }
  const itemIdxs = selectItems(dataset.itemCount, { limit: spec.limit, sample: spec.sample, seed: spec.seed });
  const { datasetId, mirror, createdBy, ...config } = spec;
  return createRun(db, { datasetId, config: { ...config, backend: backend.name }, itemIdxs, mirror, createdBy });
}
