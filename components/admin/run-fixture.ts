import type { Calibration, ModelSummary } from "@/eval/domain";
import type { RunView } from "@/eval/api/schemas";

/** A run as GET /api/runs/{id} returns it; tests override what they are about. */
export function runView(overrides: Partial<RunView> = {}): RunView {
  const models = overrides.models ?? ["medgpt", "base"];
  return {
    id: "run_1",
    datasetId: "ds_1",
    datasetName: "Cardiology set",
    status: "completed",
    models,
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
    name: null,
    notes: null,
    warnings: [],
    settings: {
      models,
      backend: "ollama",
      temperature: 0,
      maxTokens: 1024,
      seed: 42,
      samples: 1,
      promptFormats: Object.fromEntries(models.map((m) => [m, m === "medgpt" ? "medgpt-raw" : "chat"])),
      judge: overrides.judge ?? null,
      judgePromptVersion: null,
      createdBy: "dashboard",
      createdAt: "2026-01-02T10:00:00.000Z",
    },
    ...overrides,
  };
}

/** A calibration summary with the given bins ({lo, count, right}); the figures are the caller's. */
export function calibration(
  bins: { lo: number; count: number; right: number; confidence?: number }[],
  figures: Partial<Omit<Calibration, "bins" | "n">> = {},
): Calibration {
  const n = bins.reduce((s, b) => s + b.count, 0);
  const right = bins.reduce((s, b) => s + b.right, 0);
  return {
    n,
    ece: 0.12,
    brier: 0.31,
    brierN: n,
    bins: bins.map((b) => ({
      lo: b.lo,
      hi: Math.round((b.lo + 0.1) * 10) / 10,
      count: b.count,
      meanConfidence: b.confidence ?? b.lo + 0.05,
      accuracy: Math.round((b.right / b.count) * 1e4) / 1e4,
    })),
    selective: { at50: 0.8, at80: 0.7, at100: n ? Math.round((right / n) * 1e4) / 1e4 : 0 },
    aurc: 0.21,
    ...figures,
  };
}

/** One model's summary; tests override what they are about. */
export function summary(model: string, overrides: Partial<ModelSummary> = {}): ModelSummary {
  return {
    model,
    total: 3,
    completed: 3,
    answered: 3,
    correct: 2,
    accuracy: 2 / 3,
    accuracyCi: [0.2077, 0.9385],
    formatOk: 3,
    judgeMean: null,
    judgeCi: null,
    judged: 0,
    unparseableVerdicts: 0,
    judgeErrors: 0,
    latencyP50Ms: 900,
    latencyP95Ms: 1400,
    tokensPerSecond: 30,
    errors: 0,
    calibration: null,
    vote: null,
    ...overrides,
  };
}
