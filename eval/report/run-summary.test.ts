import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { summarizeModel } from "@/eval/runner/summary";
import { openDb, type Db } from "@/eval/store/connection";
import { MIGRATIONS } from "@/eval/store/migrations";
import { brierTerm, getResults, getVerdicts, insertResult, insertVerdict } from "@/eval/store/results";
import { createRun, type RunRow } from "@/eval/store/runs";
import { computeRunSummary, runSummary } from "./run-summary";
import { seedMixedRun } from "./run-fixture";
import { runView } from "./views";

/**
 * The run summary from aggregate queries is summarizeModel's (which defines the figures) over every row, and the
 * kept summary follows every change to the run's results and verdicts, from this connection or another process's.
 */

const dbs: Db[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const memoryDb = () => {
  const db = openDb(":memory:");
  dbs.push(db);
  return db;
};

const fromRows = (db: Db, run: RunRow) => {
  const results = getResults(db, run.id);
  const verdicts = getVerdicts(db, run.id);
  return run.config.models.map((m) => summarizeModel(m, run.itemIdxs.length, results, verdicts));
};

describe("computeRunSummary", () => {
  it.each([
    ["one model", { items: 50, models: ["medgpt"], seed: 11 }],
    ["three models", { items: 120, models: ["medgpt", "gemma2:2b", "base"], seed: 12 }],
    ["self-consistency", { items: 90, models: ["medgpt", "base"], seed: 13, selfConsistent: true }],
    ["a sample of the items", { items: 60, models: ["medgpt"], seed: 14, itemIdxs: [40, 2, 7, 33, 59, 18] }],
  ])("equals summarizeModel over every row: %s", (_name, opts) => {
    const db = memoryDb();
    const run = seedMixedRun(db, opts);
    const summary = computeRunSummary(db, run);
    expect(summary).toEqual(fromRows(db, run));
    // The seeded runs exercise what the figures are made of.
    const all = summary[0]!;
    expect(all.completed).toBeGreaterThan(0);
    expect(all.errors + all.judged + all.unparseableVerdicts + all.judgeErrors).toBeGreaterThan(0);
    if (run.itemIdxs.length >= 50) {
      expect(all.calibration?.brierN).toBeGreaterThan(0);
      expect(all.calibration!.brierN).toBeLessThan(all.calibration!.n);
    }
    if ("selfConsistent" in opts) expect(all.vote?.calibration).not.toBeNull();
  });

  it("has no figures for a run without results", () => {
    const db = memoryDb();
    const seeded = seedMixedRun(db, { items: 3, models: ["medgpt"], seed: 15, itemIdxs: [] });
    const run = createRun(db, { datasetId: seeded.datasetId, config: seeded.config, itemIdxs: [0, 1], mirror: false });
    expect(computeRunSummary(db, run)).toEqual(fromRows(db, run));
    expect(computeRunSummary(db, run)[0]).toMatchObject({
      completed: 0,
      accuracy: null,
      calibration: null,
      vote: null,
    });
  });
});

describe("runSummary", () => {
  it("is computed again after every change to the run's results or verdicts, and only then", () => {
    const db = memoryDb();
    const run = seedMixedRun(db, { items: 30, models: ["medgpt", "base"], seed: 16 });
    const first = runSummary(db, run);
    expect(runSummary(db, run)).toBe(first);

    // A failed item generated again, now right.
    const failed = getResults(db, run.id).find((r) => r.status === "error")!;
    insertResult(db, { ...failed, status: "ok", error: null, letter: "A", exact: true, confidence: 0.9 });
    const second = runSummary(db, run);
    expect(second).not.toBe(first);
    expect(second).toEqual(fromRows(db, run));
    const model = run.config.models.indexOf(failed.model);
    expect(second[model]!.errors).toBe(first[model]!.errors - 1);

    // A judge error graded again.
    const judged = getVerdicts(db, run.id).find((v) => v.status === "error")!;
    insertVerdict(db, { ...judged, status: "scored", score: 5, error: null, explanation: "Right." });
    expect(runSummary(db, run)).toEqual(fromRows(db, run));
    expect(runSummary(db, run)).not.toEqual(second);

    // A write the store refuses (a successful result is never replaced) changes nothing.
    const kept = runSummary(db, run);
    insertResult(db, { ...getResults(db, run.id).find((r) => r.status === "ok")!, letter: "E" });
    expect(runSummary(db, run)).toBe(kept);
  });

  it("follows results written by another connection to the same file (a CLI run beside the server)", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "medgpt-run-summary-"));
    dirs.push(dir);
    const server = openDb(path.join(dir, "medgpt.db"));
    const cli = openDb(path.join(dir, "medgpt.db"));
    dbs.push(server, cli);
    const run = seedMixedRun(cli, { items: 40, models: ["medgpt"], seed: 17 });
    const before = runSummary(server, run);
    const failed = getResults(cli, run.id).find((r) => r.status === "error")!;
    insertResult(cli, { ...failed, status: "ok", error: null, letter: "A", exact: true });
    const after = runSummary(server, run);
    expect(after[0]!.errors).toBe(before[0]!.errors - 1);
    expect(after).toEqual(fromRows(server, run));
  });

  it("is the same on a database stored before each result's Brier term was: the migration computes the terms", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "medgpt-run-summary-"));
    dirs.push(dir);
    const file = path.join(dir, "medgpt.db");
    const db = openDb(file);
    const run = seedMixedRun(db, { items: 80, models: ["medgpt", "base"], seed: 19 });
    const expected = fromRows(db, run);
    expect(expected[0]!.calibration?.brierN).toBeGreaterThan(0);
    // Back to the schema before the last migration: the column gone, the index as that version made it.
    db.exec(`DROP INDEX results_by_model;
      ALTER TABLE results DROP COLUMN brier_term;
      CREATE INDEX results_by_model ON results(run_id, model, status, item_idx, exact, letter, format_ok, latency_ms,
        tokens_per_second, confidence, reference_letter, agreement, vote_letter, vote_exact, probabilities_json);`);
    db.pragma(`user_version = ${MIGRATIONS.length - 1}`);
    db.close();
    const migrated = openDb(file);
    dbs.push(migrated);
    const summary = computeRunSummary(migrated, run);
    expect(summary).toEqual(expected);
    // Each stored term is the one a new result is written with.
    for (const r of getResults(migrated, run.id)) {
      const stored = migrated
        .prepare(`SELECT brier_term AS t FROM results WHERE run_id = ? AND item_idx = ? AND model = ?`)
        .get(run.id, r.itemIdx, r.model) as { t: number | null };
      if (r.probabilities === null) expect(stored.t).toBeNull();
      else expect(stored.t).toBeCloseTo(brierTerm(r)!, 12);
    }
  });

  it("is what the run view shows", () => {
    const db = memoryDb();
    const run = seedMixedRun(db, { items: 25, models: ["medgpt", "base"], seed: 18 });
    expect(runView(db, run, true).summary).toEqual(fromRows(db, run));
  });
});
