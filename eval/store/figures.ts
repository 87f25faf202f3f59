import "server-only";
import type { JudgeStatus, ResultStatus } from "@/eval/domain";
import type { CalibrationPoint } from "@/eval/scorers/calibration";
import { prepared, type Db } from "./connection";

/** A calibration point known by its confidence alone (the Brier score comes from SQL, see brierSum). */
type ConfidencePoint = CalibrationPoint & { probabilities: null };

/**
 * What one model's summary is computed from, read in a few aggregate queries over the covering indexes
 * results_by_model and verdicts_by_model instead of loading every result with its reply. Lists are in item order,
 * as the rows themselves would be.
 */
export type ModelFigures = {
  /** Successful generations ("completed"), those that named an option, the right ones, those well formatted. */
  completed: number;
  answered: number;
  correct: number;
  formatOk: number;
  /** Failed generations. */
  errors: number;
  /** Latency and tokens/s of the successful generations that have one. */
  latencies: number[];
  tokensPerSecond: number[];
  /** The successful generations' confidences (those that have one). */
  confidence: ConfidencePoint[];
  /**
   * Multi-class Brier score summed over the successful generations with a confidence and per-option probabilities,
   * and how many those are. The reference is the one stored with the result; older rows lack it: a right answer's
   * reference is its letter, a wrong one's is unknown (counted as A), as in the summary from rows. Each result's
   * term is stored with it (results.brier_term, null without probabilities, see brierTerm in results.ts): summing
   * json_each over 10,000 results' probabilities took ~14 ms per model, a stored number is read in the counts' scan.
   */
  brierSum: number;
  brierN: number;
  /** Self-consistency: successful generations with an agreement, the right votes among them, and the vote's points. */
  voted: number;
  voteCorrect: number;
  voteConfidence: ConfidencePoint[];
  /** Judge: the scores, unreadable verdicts and judge errors. */
  scores: number[];
  unparseable: number;
  judgeErrors: number;
};

// A literal of one shape: these lists reach 10,000 points, and calibrate reads each point several times.
const point = (confidence: number, correct: number | null): ConfidencePoint => ({
  confidence,
  correct: correct === 1,
  probabilities: null,
  reference: "A",
  letter: null,
});

export function modelFigures(db: Db, runId: string, model: string): ModelFigures {
  const p = { run: runId, model };
  const counts = prepared(
    db,
    `SELECT COUNT(*) FILTER (WHERE status = 'ok') AS completed,
              COUNT(*) FILTER (WHERE status = 'ok' AND letter IS NOT NULL) AS answered,
              COUNT(*) FILTER (WHERE status = 'ok' AND exact = 1) AS correct,
              COUNT(*) FILTER (WHERE status = 'ok' AND format_ok = 1) AS formatOk,
              COUNT(*) FILTER (WHERE status = 'error') AS errors,
              COUNT(*) FILTER (WHERE status = 'ok' AND agreement IS NOT NULL) AS voted,
              COUNT(*) FILTER (WHERE status = 'ok' AND agreement IS NOT NULL AND vote_exact = 1) AS voteCorrect,
              COALESCE(SUM(brier_term) FILTER (WHERE status = 'ok' AND confidence IS NOT NULL), 0) AS brierSum,
              COUNT(brier_term) FILTER (WHERE status = 'ok' AND confidence IS NOT NULL) AS brierN
       FROM results WHERE run_id = @run AND model = @model`,
  ).get(p) as Pick<
    ModelFigures,
    "completed" | "answered" | "correct" | "formatOk" | "errors" | "voted" | "voteCorrect" | "brierSum" | "brierN"
  >;
  // The successful generations' numbers, each list by itself in item order (plain lists of numbers are the
  // cheapest thing to read 10,000 of); two lists over the same rows line up.
  const ok = (column: string, where: string) =>
    prepared(
      db,
      `SELECT ${column} FROM results
         WHERE run_id = @run AND model = @model AND status = 'ok' AND ${where} ORDER BY item_idx`,
    )
      .pluck()
      .all(p) as number[];
  const pointsOf = (confidence: number[], correct: (number | null)[]) =>
    confidence.map((c, i) => point(c, correct[i] ?? null));
  const voted = `agreement IS NOT NULL AND vote_letter IS NOT NULL`;
  const verdicts = prepared(
    db,
    `SELECT COUNT(*) FILTER (WHERE status = 'unparseable') AS unparseable,
              COUNT(*) FILTER (WHERE status = 'error') AS judgeErrors
       FROM verdicts WHERE run_id = @run AND model = @model`,
  ).get(p) as { unparseable: number; judgeErrors: number };
  const scores = prepared(
    db,
    `SELECT score FROM verdicts WHERE run_id = @run AND model = @model AND status = 'scored' ORDER BY item_idx`,
  )
    .pluck()
    .all(p) as number[];
  return {
    ...counts,
    latencies: ok("latency_ms", "latency_ms IS NOT NULL"),
    tokensPerSecond: ok("tokens_per_second", "tokens_per_second IS NOT NULL"),
    confidence: pointsOf(ok("confidence", "confidence IS NOT NULL"), ok("exact", "confidence IS NOT NULL")),
    voteConfidence: counts.voted ? pointsOf(ok("agreement", voted), ok("vote_exact", voted)) : [],
    scores,
    unparseable: verdicts.unparseable,
    judgeErrors: verdicts.judgeErrors,
  };
}

export type DistributionPoint = {
  model: string;
  status: ResultStatus;
  latencyMs: number | null;
  judgeScore: number | null;
  judgeStatus: JudgeStatus | null;
};

/**
 * Latency and judge score of every result, in item then model order, from the per-item covering indexes (named: the
 * planner would otherwise look each verdict up by its key and then read its row, twice the work).
 */
export function distributionPoints(db: Db, runId: string): DistributionPoint[] {
  return prepared(
    db,
    `SELECT r.model, r.status, r.latency_ms AS latencyMs, v.score AS judgeScore, v.status AS judgeStatus
       FROM results r
       LEFT JOIN verdicts v INDEXED BY verdicts_by_item
         ON v.run_id = r.run_id AND v.item_idx = r.item_idx AND v.model = r.model
       WHERE r.run_id = ? ORDER BY r.item_idx, r.model`,
  ).all(runId) as DistributionPoint[];
}
