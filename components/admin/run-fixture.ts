import type { RunView } from "@/eval/api/schemas";

/** A run as GET /api/runs/{id} returns it; tests override what they are about. */
export function runView(overrides: Partial<RunView> = {}): RunView {
  return {
    id: "run_1",
    datasetId: "ds_1",
    datasetName: "Cardiology set",
    status: "completed",
    models: ["medgpt", "base"],
    items: 3,
    total: 6,
    done: 6,
    errors: 0,
    judged: 0,
    judge: null,
    createdAt: "2026-01-02T10:00:00.000Z",
    startedAt: "2026-01-02T10:00:01.000Z",
    finishedAt: "2026-01-02T10:05:00.000Z",
    error: null,
    mirror: { status: "disabled", error: null, url: null },
    config: {},
    ...overrides,
  };
}
