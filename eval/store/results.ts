import "server-only";
import type { Probabilities } from "@/lib/schemas/ask";
import type { Letter } from "@/lib/schemas/options";
import type { JudgeStatus, ResultStatus } from "@/eval/domain";
import { prepared, type Db } from "./connection";

export type ResultRow = {
  runId: string;
  itemIdx: number;
  model: string;
  status: ResultStatus;
  raw: string | null;
  letter: Letter | null;
  exact: boolean | null;
  formatOk: boolean | null;
  latencyMs: number | null;
  firstTokenMs: number | null;
  evalCount: number | null;
  tokensPerSecond: number | null;
  attempts: number;
  error: string | null;
  /** Probability of `letter` and per-option probabilities, when the backend gave log-probabilities. */
  confidence: number | null;
  probabilities: Probabilities | null;
  /** Self-consistency (samples > 1): the majority letter and the share of samples that chose it. */
  voteLetter: Letter | null;
  voteExact: boolean | null;
  agreement: number | null;
  /** The item's reference, kept with the result so calibration (Brier) needs no join; null on older rows. */
  referenceLetter: Letter | null;
};

/** A result with nothing measured yet: status "ok", one attempt, every measurement null. Callers spread and fill. */
export function emptyResult(base: { runId: string; itemIdx: number; model: string }): ResultRow {
  return {
    ...base,
    status: "ok",
    raw: null,
    letter: null,
    exact: null,
    formatOk: null,
    latencyMs: null,
    firstTokenMs: null,
    evalCount: null,
    tokensPerSecond: null,
    attempts: 1,
    error: null,
    confidence: null,
    probabilities: null,
    voteLetter: null,
    voteExact: null,
    agreement: null,
    referenceLetter: null,
  };
}

/** One of a self-consistent run's samples (the first is also the result itself). */
export type SampleRow = {
  sampleIdx: number;
  raw: string;
  letter: Letter | null;
  confidence: number | null;
  probabilities: Probabilities | null;
};

export type VerdictRow = {
  runId: string;
  itemIdx: number;
  model: string;
  status: JudgeStatus;
  score: number | null;
  explanation: string | null;
  raw: string | null;
  error: string | null;
  judgeModel: string;
  attempts: number;
};

const bool = (v: boolean | null) => (v === null ? null : v ? 1 : 0);

/**
 * Commits one item's result immediately. A failed item may be recorded again when a resumed run retries it; a
 * successful one never: a second write of it fails loudly on the primary key.
 */
export function insertResult(db: Db, r: ResultRow, samples: SampleRow[] = []): void {
  db.transaction(() => {
    writeResult(db, r);
    const add = prepared(
      db,
      `INSERT OR REPLACE INTO samples (run_id, item_idx, model, sample_idx, raw, letter, confidence, probabilities_json, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const at = new Date().toISOString();
    for (const s of samples) {
      add.run(r.runId, r.itemIdx, r.model, s.sampleIdx, s.raw, s.letter, s.confidence, json(s.probabilities), at);
    }
  })();
}

const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

function writeResult(db: Db, r: ResultRow): void {
  prepared(
    db,
    `INSERT INTO results (run_id, item_idx, model, status, raw, letter, exact, format_ok, latency_ms, first_token_ms,
       eval_count, tokens_per_second, attempts, error, created_at, confidence, probabilities_json, vote_letter, agreement,
       vote_exact, reference_letter, brier_term)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (run_id, item_idx, model) DO UPDATE SET
       status = excluded.status, raw = excluded.raw, letter = excluded.letter, exact = excluded.exact,
       format_ok = excluded.format_ok, latency_ms = excluded.latency_ms, first_token_ms = excluded.first_token_ms,
       eval_count = excluded.eval_count, tokens_per_second = excluded.tokens_per_second, attempts = excluded.attempts,
       error = excluded.error, created_at = excluded.created_at, confidence = excluded.confidence,
       probabilities_json = excluded.probabilities_json, vote_letter = excluded.vote_letter, agreement = excluded.agreement,
       vote_exact = excluded.vote_exact, reference_letter = excluded.reference_letter, brier_term = excluded.brier_term
     WHERE results.status = 'error'`,
  ).run(
    r.runId,
    r.itemIdx,
    r.model,
    r.status,
    r.raw,
    r.letter,
    bool(r.exact),
    bool(r.formatOk),
    r.latencyMs,
    r.firstTokenMs,
    r.evalCount,
    r.tokensPerSecond,
    r.attempts,
    r.error,
    new Date().toISOString(),
    r.confidence,
    json(r.probabilities),
    r.voteLetter,
    r.agreement,
    bool(r.voteExact),
    r.referenceLetter,
    brierTerm(r),
  );
}

/**
 * The result's multi-class Brier term, Σ over its letters of (p − 1[reference])², kept with it so that the run
 * summary sums one stored number per result instead of parsing every result's probabilities (the migration that
 * added the column computed it for the rows already stored). The same arithmetic as calibrate's, letter by letter in the probabilities' own order; the
 * reference as the summary from rows takes it (eval/runner/summary.ts). Null without probabilities.
 */
export function brierTerm(r: Pick<ResultRow, "probabilities" | "referenceLetter" | "exact" | "letter">): number | null {
  if (r.probabilities === null) return null;
  const reference = r.referenceLetter ?? (r.exact ? r.letter : null) ?? "A";
  let s = 0;
  for (const [letter, prob] of Object.entries(r.probabilities)) s += (prob - (letter === reference ? 1 : 0)) ** 2;
  return s;
}

/** Like results: a judge error (quota, outage) is replaced when a resumed run judges the item again. */
export function insertVerdict(db: Db, v: VerdictRow): void {
  prepared(
    db,
    `INSERT INTO verdicts (run_id, item_idx, model, status, score, explanation, raw, error, judge_model, attempts, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (run_id, item_idx, model) DO UPDATE SET
       status = excluded.status, score = excluded.score, explanation = excluded.explanation, raw = excluded.raw,
       error = excluded.error, judge_model = excluded.judge_model, attempts = excluded.attempts, created_at = excluded.created_at
     WHERE verdicts.status = 'error'`,
  ).run(
    v.runId,
    v.itemIdx,
    v.model,
    v.status,
    v.score,
    v.explanation,
    v.raw,
    v.error,
    v.judgeModel,
    v.attempts,
    new Date().toISOString(),
  );
}

type RawResult = {
  run_id: string;
  item_idx: number;
  model: string;
  status: "ok" | "error";
  raw: string | null;
  letter: Letter | null;
  exact: number | null;
  format_ok: number | null;
  latency_ms: number | null;
  first_token_ms: number | null;
  eval_count: number | null;
  tokens_per_second: number | null;
  attempts: number;
  error: string | null;
  confidence: number | null;
  probabilities_json: string | null;
  vote_letter: Letter | null;
  vote_exact: number | null;
  agreement: number | null;
  reference_letter: Letter | null;
};
export const toResult = (r: RawResult): ResultRow => ({
  runId: r.run_id,
  itemIdx: r.item_idx,
  model: r.model,
  status: r.status,
  raw: r.raw,
  letter: r.letter,
  exact: r.exact === null ? null : r.exact === 1,
  formatOk: r.format_ok === null ? null : r.format_ok === 1,
  latencyMs: r.latency_ms,
  firstTokenMs: r.first_token_ms,
  evalCount: r.eval_count,
  tokensPerSecond: r.tokens_per_second,
  attempts: r.attempts,
  error: r.error,
  confidence: r.confidence,
  probabilities: r.probabilities_json ? (JSON.parse(r.probabilities_json) as Probabilities) : null,
  voteLetter: r.vote_letter,
  voteExact: r.vote_exact === null ? null : r.vote_exact === 1,
  agreement: r.agreement,
  referenceLetter: r.reference_letter,
});

export function getSamples(db: Db, runId: string, itemIdx: number, model: string): SampleRow[] {
  const rows = db
    .prepare(`SELECT * FROM samples WHERE run_id = ? AND item_idx = ? AND model = ? ORDER BY sample_idx`)
    .all(runId, itemIdx, model) as {
    sample_idx: number;
    raw: string;
    letter: Letter | null;
    confidence: number | null;
    probabilities_json: string | null;
  }[];
  return rows.map((s) => ({
    sampleIdx: s.sample_idx,
    raw: s.raw,
    letter: s.letter,
    confidence: s.confidence,
    probabilities: s.probabilities_json ? (JSON.parse(s.probabilities_json) as Probabilities) : null,
  }));
}

export function countSamples(db: Db, runId: string): number {
  return (db.prepare(`SELECT COUNT(*) AS n FROM samples WHERE run_id = ?`).get(runId) as { n: number }).n;
}

type RawVerdict = {
  run_id: string;
  item_idx: number;
  model: string;
  status: VerdictRow["status"];
  score: number | null;
  explanation: string | null;
  raw: string | null;
  error: string | null;
  judge_model: string;
  attempts: number;
};
export const toVerdict = (v: RawVerdict): VerdictRow => ({
  runId: v.run_id,
  itemIdx: v.item_idx,
  model: v.model,
  status: v.status,
  score: v.score,
  explanation: v.explanation,
  raw: v.raw,
  error: v.error,
  judgeModel: v.judge_model,
  attempts: v.attempts,
});

export function getResults(db: Db, runId: string): ResultRow[] {
  return (db.prepare(`SELECT * FROM results WHERE run_id = ? ORDER BY item_idx, model`).all(runId) as RawResult[]).map(
    toResult,
  );
}

/** The results of some of a run's items (a page of the results table, one question's view). */
export function getResultsOf(db: Db, runId: string, itemIdxs: number[]): ResultRow[] {
  return (
    prepared(
      db,
      `SELECT * FROM results WHERE run_id = ? AND item_idx IN (SELECT value FROM json_each(?)) ORDER BY item_idx, model`,
    ).all(runId, JSON.stringify(itemIdxs)) as RawResult[]
  ).map(toResult);
}

/** The verdicts on some of a run's items. */
export function getVerdictsOf(db: Db, runId: string, itemIdxs: number[]): VerdictRow[] {
  return (
    prepared(
      db,
      `SELECT * FROM verdicts WHERE run_id = ? AND item_idx IN (SELECT value FROM json_each(?)) ORDER BY item_idx, model`,
    ).all(runId, JSON.stringify(itemIdxs)) as RawVerdict[]
  ).map(toVerdict);
}

export function getVerdicts(db: Db, runId: string): VerdictRow[] {
  return (
    db.prepare(`SELECT * FROM verdicts WHERE run_id = ? ORDER BY item_idx, model`).all(runId) as RawVerdict[]
  ).map(toVerdict);
}

/** Successful generations that still need a verdict (the process stopped between the two, or the judge failed). */
export function unjudgedResults(db: Db, runId: string): ResultRow[] {
  return (
    db
      .prepare(
        `SELECT r.* FROM results r LEFT JOIN verdicts v USING (run_id, item_idx, model)
         WHERE r.run_id = ? AND r.status = 'ok' AND (v.run_id IS NULL OR v.status = 'error') ORDER BY r.item_idx`,
      )
      .all(runId) as RawResult[]
  ).map(toResult);
}

/** done: items with a result (ok or error); judged: verdicts that graded (scored or unparseable), not judge errors. */
export function runProgress(
  db: Db,
  runId: string,
): { done: number; errors: number; judged: number; judgeErrors: number } {
  return prepared(
    db,
    `SELECT (SELECT COUNT(*) FROM results WHERE run_id = @run) AS done,
              (SELECT COUNT(*) FROM results WHERE run_id = @run AND status = 'error') AS errors,
              (SELECT COUNT(*) FROM verdicts WHERE run_id = @run AND status != 'error') AS judged,
              (SELECT COUNT(*) FROM verdicts WHERE run_id = @run AND status = 'error') AS judgeErrors`,
  ).get({ run: runId }) as { done: number; errors: number; judged: number; judgeErrors: number };
}
