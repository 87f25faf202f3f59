import "server-only";
import type { AppConfig } from "@/lib/config";
import type { Db } from "@/eval/store/connection";
import { getDataset, getItems } from "@/eval/store/datasets";
import { getResults, getVerdicts } from "@/eval/store/results";
import { getRun, setMirror } from "@/eval/store/runs";
import { summarizeModel } from "@/eval/runner/summary";
import { mirrorToWeave } from "./mirror";
import type { MirrorPayload } from "./types";

/**
 * Mirrors a run to Weave, one evaluation per model, and records the outcome on the run
 * (mirrored + URL, or failed + reason). Never throws: a Weave outage must not affect the run.
 */
export async function mirrorRun(db: Db, runId: string, weave: NonNullable<AppConfig["weave"]>): Promise<void> {
  const run = getRun(db, runId);
  if (!run) return;
  setMirror(db, runId, "pending");
  const datasetName = getDataset(db, run.datasetId)?.name ?? run.datasetId;
  const items = new Map(getItems(db, run.datasetId).map((i) => [i.idx, i]));
  const results = getResults(db, runId);
  const verdicts = new Map(getVerdicts(db, runId).map((v) => [`${v.itemIdx}|${v.model}`, v]));
  const urls: string[] = [];
  for (const model of run.config.models) {
    const s = summarizeModel(model, run.itemIdxs.length, results, [...verdicts.values()]);
    const payload: MirrorPayload = {
      runId,
      project: weave.project,
      apiKey: weave.apiKey,
      ...(weave.traceServerUrl ? { traceServerUrl: weave.traceServerUrl } : {}),
      evaluationName: `medgpt-${datasetName}`,
      model,
      datasetName,
      items: results
        .filter((r) => r.model === model && r.status === "ok")
        .map((r) => {
          const item = items.get(r.itemIdx)!;
          return {
            inputs: {
              index: r.itemIdx,
              case: item.caseText,
              options: item.options as Record<string, string>,
              reference: item.referenceLetter,
            },
            output: { raw: r.raw ?? "", letter: r.letter },
            scores: {
              exact_match: !!r.exact,
              format_ok: !!r.formatOk,
              judge_score: verdicts.get(`${r.itemIdx}|${model}`)?.score ?? null,
            },
          };
        }),
      summary: {
        accuracy: s.accuracy,
        accuracy_ci_lo: s.accuracyCi?.[0] ?? null,
        accuracy_ci_hi: s.accuracyCi?.[1] ?? null,
        judge_mean: s.judgeMean,
        errors: s.errors,
      },
    };
    // About 12 trace-server requests per item; scale the budget so large runs are not cut off.
    const outcome = await mirrorToWeave(payload, { timeoutMs: 60_000 + 150 * payload.items.length });
    if (!outcome.ok) {
      setMirror(db, runId, "failed", { error: `${model}: ${outcome.error}` });
      return;
    }
    if (outcome.url) urls.push(outcome.url);
  }
  setMirror(db, runId, "mirrored", { url: urls[0] ?? null });
}
