import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDb, type Db } from "@/eval/store/connection";
import { getItems, listDatasets } from "@/eval/store/datasets";
import { hasShared, sharedPath } from "@/test-support/shared-data";
import { contentHash, DatasetImportError, importDataset, importIntoDb, importIntoDbInSlices } from "./import";

const MEDQA = [
  JSON.stringify({ question: "Q1?", options: { A: "a", B: "b", C: "c", D: "d" }, answer_idx: "B" }),
  JSON.stringify({ question: "Q2?", options: { A: "a", B: "b" }, answer_idx: "Q" }),
  JSON.stringify({ question: "Q3?", options: { A: "a", B: "b", C: "c" }, answer_idx: "C" }),
].join("\n");
const CSV = "question,opa,opb,opc,opd,answer_idx\nQ?,a,b,c,d,D\n";
const MR = JSON.stringify({
  instruction: "Answer.",
  input: "Q:Which?? \n{'A': 'x', 'B': \"y's\"},",
  output: "<analysis>\nbecause\n</analysis>\n<answer>\nB: y's\n</answer>",
});

describe("format detection", () => {
  it("tells the three formats apart from their fields, whatever the file is called", () => {
    expect(importDataset(MR).format).toBe("medical-reasoning");
    expect(importDataset(MEDQA).format).toBe("medqa");
    expect(importDataset(CSV).format).toBe("mcq-csv");
    expect(importDataset(MEDQA, { filename: "upload.txt" }).format).toBe("medqa");
    expect(importDataset(`\uFEFF${MR}\n`, { filename: "data.csv" }).format).toBe("medical-reasoning");
  });

  it("uses the first line that is a JSON object, so a broken first line is a rejected row, not an unknown format", () => {
    const result = importDataset(`{"question": "cut off\n${MEDQA}`);
    expect(result.format).toBe("medqa");
    expect(result.rejected[0]).toMatchObject({ line: 1, reason: expect.stringMatching(/^invalid JSON/) });
    // With a .jsonl name even a first line that does not start with "{" is read as JSONL.
    const named = importDataset(`garbage\n${MEDQA}`, { filename: "d.JSONL" });
    expect(named.format).toBe("medqa");
    expect(named.rejected.map((r) => r.line)).toEqual([1, 3]);
  });

  it("throws a clear error listing the accepted formats for anything else", () => {
    const accepted =
      /Accepted formats:[\s\S]*medical-reasoning JSONL[\s\S]*"instruction", "input", "output"[\s\S]*MedQA JSONL[\s\S]*"answer_idx"[\s\S]*MCQ CSV[\s\S]*cop/;
    expect(() => importDataset('{"text": "hello", "label": 1}\n', { filename: "imdb.jsonl" })).toThrowError(
      /"imdb\.jsonl" is not a recognised dataset: the first JSON object \(line 1\) has the fields "text", "label"/,
    );
    expect(() => importDataset('{"text": "hello"}')).toThrowError(accepted);
    expect(() => importDataset("just some notes\nabout medicine\n")).toThrowError(
      /neither a JSON object nor a comma-separated header[\s\S]*Accepted formats/,
    );
    expect(() => importDataset('[{"question": "Q?"}]')).toThrowError(/is a JSON array; put one JSON object per line/);
    expect(() => importDataset(" \n\n", { filename: "empty.jsonl" })).toThrowError(/"empty\.jsonl" is empty/);
    expect(() => importDataset("{oops\n{still not json}\n")).toThrowError(/no line that is a JSON object/);
  });
});

describe("contentHash", () => {
  it("is the same for the same content saved with CRLF, a BOM, trailing spaces or extra blank lines", () => {
    const base = contentHash(MEDQA);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(contentHash(MEDQA.replace(/\n/g, "\r\n"))).toBe(base);
    expect(contentHash(`\uFEFF${MEDQA}\n\n`)).toBe(base);
    expect(contentHash(MEDQA.replace(/\n/g, "  \t\n"))).toBe(base);
  });

  it("changes when any content changes", () => {
    expect(contentHash(MEDQA.replace("Q1?", "Q1 ?"))).not.toBe(contentHash(MEDQA));
    expect(contentHash(CSV.replace(",D", ",C"))).not.toBe(contentHash(CSV));
  });
});

describe("importIntoDb", () => {
  let db: Db;
  beforeEach(() => {
    db = openDb(":memory:");
  });
  afterEach(() => db.close());

  it("stores accepted items and the rejections, and reports both", () => {
    const out = importIntoDb(db, MEDQA, { name: "MedQA sample", filename: "medqa.jsonl" });
    expect(out.existing).toBe(false);
    expect(out.accepted).toBe(2);
    expect(out.rejected).toEqual([{ line: 2, reason: 'answer_idx "Q" is not an option letter (A, B)' }]);
    expect(out.dataset).toMatchObject({
      name: "MedQA sample",
      format: "medqa",
      source: "medqa.jsonl",
      itemCount: 2,
      contentHash: contentHash(MEDQA),
    });
    expect(getItems(db, out.dataset.id).map((i) => [i.idx, i.sourceLine, i.caseText, i.referenceLetter])).toEqual([
      [0, 1, "Q1?", "B"],
      [1, 3, "Q3?", "C"],
    ]);
  });

  it("recognises the same file imported again, even re-saved with CRLF, and does not duplicate it", () => {
    const first = importIntoDb(db, MEDQA, { name: "first", filename: "a.jsonl" });
    const again = importIntoDb(db, MEDQA.replace(/\n/g, "\r\n"), { name: "second", filename: "b.jsonl" });
    expect(again.existing).toBe(true);
    expect(again.dataset.id).toBe(first.dataset.id);
    expect(again.dataset.name).toBe("first");
    expect(again.accepted).toBe(2);
    expect(again.rejected).toEqual(first.rejected);
    expect(listDatasets(db)).toHaveLength(1);
    expect(getItems(db, first.dataset.id)).toHaveLength(2);
  });

  it("fails, listing the rejections, when no row is usable, and stores nothing", () => {
    const bad = [
      JSON.stringify({ question: "Q?", options: { A: "a", B: "b" }, answer_idx: "C" }),
      JSON.stringify({ question: "", options: { A: "a", B: "b" }, answer_idx: "A" }),
    ].join("\n");
    let error: unknown;
    try {
      importIntoDb(db, bad, { name: "bad", filename: "bad.jsonl" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DatasetImportError);
    expect((error as DatasetImportError).message).toMatch(
      /No rows could be imported from "bad\.jsonl" \(medqa\): all 2 rows were rejected\.\nline 1: answer_idx C is not among the options \(A, B\)\nline 2: field "question" is empty/,
    );
    expect((error as DatasetImportError).rejected).toHaveLength(2);
    expect(() => importIntoDb(db, "question,opa,opb,opc,opd,cop\n", { name: "header only" })).toThrowError(
      /has no data rows/,
    );
    expect(listDatasets(db)).toEqual([]);
  });

  it.skipIf(!hasShared)("stores the shared 93-row split once", () => {
    const text = readFileSync(sharedPath("data", "medical-reasoning-test93.jsonl"), "utf8");
    const out = importIntoDb(db, text, { name: "test93", filename: "medical-reasoning-test93.jsonl" });
    expect(out).toMatchObject({ existing: false, accepted: 93, rejected: [] });
    expect(importIntoDb(db, text, { name: "test93 again" }).existing).toBe(true);
    expect(getItems(db, out.dataset.id)).toHaveLength(93);
  });
});

describe("importIntoDbInSlices (the server's import)", () => {
  let db: Db;
  beforeEach(() => {
    db = openDb(":memory:");
  });
  afterEach(() => db.close());

  /** 20,000 MedQA rows: far more work than one 8 ms slice on any machine. */
  const big = Array.from({ length: 20_000 }, (_, i) =>
    JSON.stringify({ question: `Case ${i}: which?`, options: { A: `a${i}`, B: `b${i}`, C: `c${i}` }, answer_idx: "B" }),
  ).join("\n");

  it("stores the same dataset as the one-go import, and gives the event loop back while it works", async () => {
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 0);
    const r = await importIntoDbInSlices(db, big, { name: "big", filename: "big.jsonl" });
    clearInterval(timer);
    // A synchronous import would let no timer run until it returned: other requests would wait just the same.
    expect(ticks).toBeGreaterThan(0);
    expect(r).toMatchObject({ existing: false, accepted: 20_000 });
    expect(getItems(db, r.dataset.id)).toHaveLength(20_000);
    expect(r.dataset.contentHash).toBe(contentHash(big));
    expect((await importIntoDbInSlices(db, big, { name: "again" })).existing).toBe(true);
  });

  it("a dataset is invisible until its last item is stored; a crashed import's leftovers are replaced", async () => {
    const hash = contentHash(big);
    const old = new Date(Date.now() - 60 * 60 * 1000).toISOString();
    db.prepare(
      `INSERT INTO datasets (id, name, format, content_hash, source, item_count, rejected_json, created_at, complete)
       VALUES ('ds_crashed', 'half', 'medqa', ?, NULL, 3000, '[]', ?, 0)`,
    ).run(hash, old);
    expect(listDatasets(db)).toEqual([]);
    const r = await importIntoDbInSlices(db, big, { name: "big" });
    expect(r.existing).toBe(false);
    expect(listDatasets(db).map((d) => d.id)).toEqual([r.dataset.id]);
  });

  it("the same content being imported right now → conflict, not a second copy", async () => {
    db.prepare(
      `INSERT INTO datasets (id, name, format, content_hash, source, item_count, rejected_json, created_at, complete)
       VALUES ('ds_busy', 'busy', 'medqa', ?, NULL, 3000, '[]', ?, 0)`,
    ).run(contentHash(big), new Date().toISOString());
    await expect(importIntoDbInSlices(db, big, { name: "big" })).rejects.toMatchObject({ code: "conflict" });
  });
});
