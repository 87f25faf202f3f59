import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { openDb, type Db } from "./connection";
import { MIGRATIONS } from "./migrations";
import { getResults, getVerdicts, insertResult, insertVerdict } from "./results";
import { getRun, runRevision } from "./runs";
import { pageItemIdxs } from "./results-page";

/**
 * The dashboard migrations (covering indexes, run revisions) on a database that already holds a run, as one made
 * before them does; and the revision every write to a run's results or verdicts bumps.
 */

const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A database file at schema version 4 (before this change) with a dataset, a run, two results and a verdict. */
function version4Db(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "medgpt-migrations-"));
  dirs.push(dir);
  const file = path.join(dir, "medgpt.db");
  const db = new Database(file);
  for (const [v, sql] of MIGRATIONS.slice(0, 4).entries()) {
    db.exec(sql);
    db.pragma(`user_version = ${v + 1}`);
  }
  const at = "2025-01-01T00:00:00.000Z";
  db.prepare(
    `INSERT INTO datasets (id, name, format, content_hash, item_count, created_at) VALUES ('ds_1', 'old', 'medqa', 'h', 2, ?)`,
  ).run(at);
  const item = db.prepare(
    `INSERT INTO items (dataset_id, idx, source_line, case_text, options_json, reference_letter) VALUES ('ds_1', ?, ?, ?, ?, 'A')`,
  );
  item.run(0, 1, "A cough.", JSON.stringify({ A: "Asthma", B: "GERD" }));
  item.run(1, 2, "A fever.", JSON.stringify({ A: "Malaria", B: "Dengue" }));
  db.prepare(
    `INSERT INTO runs (id, dataset_id, status, config_json, item_idxs_json, total, created_at)
     VALUES ('run_old', 'ds_1', 'completed', ?, '[0,1]', 2, ?)`,
  ).run(
    JSON.stringify({
      models: ["medgpt"],
      limit: null,
      sample: null,
      seed: 1,
      temperature: 0,
      maxTokens: 64,
      concurrency: 1,
      judgeConcurrency: 1,
      judge: null,
    }),
    at,
  );
  const result = db.prepare(
    `INSERT INTO results (run_id, item_idx, model, status, raw, letter, exact, format_ok, attempts, error, created_at, confidence)
     VALUES ('run_old', ?, 'medgpt', ?, ?, ?, ?, 1, 1, ?, ?, ?)`,
  );
  result.run(0, "ok", "<answer>A</answer>", "A", 1, null, at, 0.7);
  result.run(1, "error", null, null, null, "timeout", at, null);
  db.prepare(
    `INSERT INTO verdicts (run_id, item_idx, model, status, score, judge_model, attempts, created_at)
     VALUES ('run_old', 0, 'medgpt', 'scored', 4, 'judge', 1, ?)`,
  ).run(at);
  db.close();
  return file;
}

const names = (db: Db, type: string) =>
  (db.prepare(`SELECT name FROM sqlite_master WHERE type = ? ORDER BY name`).all(type) as { name: string }[]).map(
    (r) => r.name,
  );

describe("the dashboard migrations", () => {
  it("bring a version 4 database with a run up to date, keeping its rows", () => {
    const db = openDb(version4Db());
    dbs.push(db);
    expect(db.pragma("user_version", { simple: true })).toBe(MIGRATIONS.length);
    expect(names(db, "index")).toEqual(
      expect.arrayContaining(["results_by_item", "results_by_model", "verdicts_by_item", "verdicts_by_model"]),
    );
    expect(names(db, "index")).not.toContain("results_run_model");
    expect(names(db, "index")).not.toContain("verdicts_run_model");
    expect(names(db, "table")).toContain("run_revisions");
    expect(getResults(db, "run_old").map((r) => [r.itemIdx, r.status, r.letter, r.confidence])).toEqual([
      [0, "ok", "A", 0.7],
      [1, "error", null, null],
    ]);
    expect(getVerdicts(db, "run_old").map((v) => v.score)).toEqual([4]);
    // A run from before has revision 0 until its results change.
    expect(runRevision(db, "run_old")).toBe(0);
    const run = getRun(db, "run_old")!;
    const page = (filter: "all" | "errors") =>
      pageItemIdxs(db, {
        runId: run.id,
        itemIdxs: run.itemIdxs,
        only: null,
        filter,
        match: null,
        sort: "number",
        sortModel: "medgpt",
        offset: 0,
        limit: 25,
      });
    expect(page("all")).toEqual({ idxs: [0, 1], total: 2 });
    expect(page("errors")).toEqual({ idxs: [1], total: 1 });
  });

  it("let the results table and the summary read the covering indexes, not the result rows", () => {
    const db = openDb(":memory:");
    dbs.push(db);
    const plan = (sql: string) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ run: "r", model: "m" }) as { detail: string }[])
        .map((r) => r.detail)
        .join("\n");
    expect(plan(`SELECT item_idx, MAX(status = 'error') FROM results WHERE run_id = @run GROUP BY item_idx`)).toMatch(
      /COVERING INDEX results_by_item/,
    );
    expect(
      plan(`SELECT COUNT(*) FILTER (WHERE format_ok = 1), SUM(brier_term), COUNT(brier_term) FROM results
            WHERE run_id = @run AND model = @model`),
    ).toMatch(/COVERING INDEX results_by_model/);
    expect(
      plan(`SELECT confidence FROM results WHERE run_id = @run AND model = @model AND status = 'ok' ORDER BY item_idx`),
    ).toMatch(/^SEARCH results USING COVERING INDEX results_by_model \(run_id=\? AND model=\? AND status=\?\)$/);
    expect(
      plan(`SELECT score FROM verdicts WHERE run_id = @run AND model = @model AND status = 'scored' ORDER BY item_idx`),
    ).toMatch(/^SEARCH verdicts USING COVERING INDEX verdicts_by_model/);
  });
});

describe("runRevision", () => {
  it("counts the writes to a run's results and verdicts, and nothing else's", () => {
    const db = openDb(version4Db());
    dbs.push(db);
    const [ok, failed] = getResults(db, "run_old");
    insertResult(db, { ...failed!, status: "ok", letter: "B", exact: false, error: null }); // a retried item
    expect(runRevision(db, "run_old")).toBe(1);
    insertVerdict(db, { ...getVerdicts(db, "run_old")[0]!, itemIdx: 1, status: "error", error: "quota" });
    expect(runRevision(db, "run_old")).toBe(2);
    insertVerdict(db, { ...getVerdicts(db, "run_old")[1]!, status: "scored", score: 2, error: null }); // judged again
    expect(runRevision(db, "run_old")).toBe(3);
    // The store keeps a successful result: writing it again changes nothing, and the revision stays.
    insertResult(db, { ...ok!, letter: "B" });
    expect(runRevision(db, "run_old")).toBe(3);
    db.prepare(`DELETE FROM results WHERE run_id = 'run_old' AND item_idx = 0`).run();
    expect(runRevision(db, "run_old")).toBe(5); // the result and, by cascade, its verdict
    expect(runRevision(db, "run_other")).toBe(0);
  });
});
