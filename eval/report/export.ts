import "server-only";
import type { Db } from "@/eval/store/connection";
import { getItems } from "@/eval/store/datasets";
import { getResults, getVerdicts } from "@/eval/store/results";
import type { RunRow } from "@/eval/store/runs";

export const EXPORT_COLUMNS = [
  "run_id",
  "item_idx",
  "source_line",
  "model",
  "reference",
  "letter",
  "exact",
  "format_ok",
  "confidence",
  "p_A",
  "p_B",
  "p_C",
  "p_D",
  "p_E",
  "vote_letter",
  "vote_exact",
  "agreement",
  "status",
  "error",
  "judge_status",
  "judge_score",
  "judge_explanation",
  "latency_ms",
  "eval_count",
  "tokens_per_second",
  "attempts",
  "case",
  "raw",
] as const;
type ExportRow = Record<(typeof EXPORT_COLUMNS)[number], string | number | boolean | null>;

/** One row per (item, model) that has a result, in dataset order. */
export function exportRows(db: Db, run: RunRow): ExportRow[] {
  const items = new Map(getItems(db, run.datasetId).map((i) => [i.idx, i]));
  const verdicts = new Map(getVerdicts(db, run.id).map((v) => [`${v.itemIdx}|${v.model}`, v]));
  return getResults(db, run.id).map((r) => {
    const item = items.get(r.itemIdx)!;
    const v = verdicts.get(`${r.itemIdx}|${r.model}`);
    return {
      run_id: run.id,
      item_idx: r.itemIdx,
      source_line: item.sourceLine,
      model: r.model,
      reference: item.referenceLetter,
      letter: r.letter,
      exact: r.exact,
      format_ok: r.formatOk,
      confidence: r.confidence,
      // Per-option probabilities, one column per letter (empty for a letter not offered, or without log-probabilities).
      p_A: r.probabilities?.A ?? null,
      p_B: r.probabilities?.B ?? null,
      p_C: r.probabilities?.C ?? null,
      p_D: r.probabilities?.D ?? null,
      p_E: r.probabilities?.E ?? null,
      vote_letter: r.voteLetter,
      vote_exact: r.voteExact,
      agreement: r.agreement,
      status: r.status,
      error: r.error,
      judge_status: v?.status ?? null,
      judge_score: v?.score ?? null,
      judge_explanation: v?.explanation ?? null,
      latency_ms: r.latencyMs,
      eval_count: r.evalCount,
      tokens_per_second: r.tokensPerSecond,
      attempts: r.attempts,
      case: item.caseText,
      raw: r.raw,
    };
  });
}

/** RFC 4180 quoting; a cell that a spreadsheet would run as a formula is prefixed with '. */
function csvCell(value: ExportRow[keyof ExportRow]): string {
  if (value === null) return "";
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s) && typeof value === "string") s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows: ExportRow[]): string {
  const lines = [EXPORT_COLUMNS.join(",")];
  for (const row of rows) lines.push(EXPORT_COLUMNS.map((c) => csvCell(row[c])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

export const toJsonl = (rows: ExportRow[]) => rows.map((r) => JSON.stringify(r)).join("\n") + (rows.length ? "\n" : "");
