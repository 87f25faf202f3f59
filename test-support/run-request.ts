import type { NewRunRequest } from "@/eval/runner/new-run";

/**
 * A run request over `datasetId` for the fine-tune, greedy and seeded, as the runner tests and the concurrency
 * benchmark send it; `over` replaces any field.
 */
export function runRequest(datasetId: string, over: Partial<NewRunRequest> = {}): NewRunRequest {
  return {
    datasetId,
    models: ["mrizwank97/medgpt"],
    limit: null,
    sample: null,
    seed: 42,
    temperature: 0,
    maxTokens: 1024,
    concurrency: 2,
    ...over,
  };
}
