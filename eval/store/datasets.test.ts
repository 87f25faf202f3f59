import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDb, type Db } from "./connection";
import { getItems, listDatasets, saveDatasetSteps } from "./datasets";

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "medgpt-store-"));
  db = openDb(path.join(dir, "t.db"));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const dataset = (count: number, caseChars: number) => ({
  name: "big",
  source: null,
  format: "medqa" as const,
  contentHash: `hash-${count}-${caseChars}`,
  rejected: [],
  items: Array.from({ length: count }, (_, i) => ({
    sourceLine: i + 1,
    caseText: `Case ${i} `.padEnd(caseChars, "x"),
    options: { A: "a", B: "b", C: "c" },
    referenceLetter: "B" as const,
    referenceReasoning: null,
  })),
});

/** Runs the steps by hand, recording what a request arriving between two steps would see. */
function stepThrough(steps: ReturnType<typeof saveDatasetSteps>) {
  let pauses = 0;
  let visibleMeanwhile = false;
  for (let next = steps.next(); !next.done; next = steps.next()) {
    pauses++;
    visibleMeanwhile ||= listDatasets(db).length > 0;
  }
  return { pauses, visibleMeanwhile };
}

describe("saveDatasetSteps", () => {
  it("stores long cases in more, smaller transactions than short ones, so no single step stalls the server", () => {
    // 200 cases of 10,000 characters (2 MB) against 200 of 100: the long ones pause about every 64 KB.
    const long = stepThrough(saveDatasetSteps(db, dataset(200, 10_000)));
    const short = stepThrough(saveDatasetSteps(db, dataset(200, 100)));
    expect(long.pauses).toBeGreaterThanOrEqual(25); // slicing by 250 rows gave 1
    expect(short.pauses).toBeLessThanOrEqual(2);
    expect(long.visibleMeanwhile).toBe(false); // the dataset is listed only once its last item is stored
  });

  it("stores every item once, in order, across the slices", () => {
    const steps = saveDatasetSteps(db, dataset(150, 5_000));
    let next = steps.next();
    while (!next.done) next = steps.next();
    const items = getItems(db, next.value.dataset.id);
    expect(items.map((i) => i.idx)).toEqual(Array.from({ length: 150 }, (_, i) => i));
    expect(items[149]!.caseText.startsWith("Case 149 ")).toBe(true);
  });
});
