import "server-only";
import type { Steps } from "@/lib/async/steps";
import { AppError } from "@/lib/errors";
import { randomUUID } from "node:crypto";
import type { DatasetFormat, DatasetItem, RejectedRow } from "@/eval/types";
import type { Options } from "@/lib/schemas/options";
import { prepared, type Db } from "./connection";

export type DatasetRow = {
  id: string;
  name: string;
  format: DatasetFormat;
  contentHash: string;
  source: string | null;
  itemCount: number;
  rejected: RejectedRow[];
  createdAt: string;
};

export type StoredItem = DatasetItem & { idx: number };

type RawDataset = {
  id: string;
  name: string;
  format: DatasetFormat;
  content_hash: string;
  source: string | null;
  item_count: number;
  rejected_json: string;
  created_at: string;
};
const toDataset = (r: RawDataset): DatasetRow => ({
  id: r.id,
  name: r.name,
  format: r.format,
  contentHash: r.content_hash,
  source: r.source,
  itemCount: r.item_count,
  rejected: JSON.parse(r.rejected_json) as RejectedRow[],
  createdAt: r.created_at,
});

/**
 * Stores a dataset and its items in one transaction. The same content (by hash) is recognised and the
 * existing dataset returned with `existing: true`, so re-importing a file never duplicates it.
 */
type NewDataset = {
  name: string;
  source: string | null;
  format: DatasetFormat;
  contentHash: string;
  items: DatasetItem[];
  rejected: RejectedRow[];
};

export function saveDataset(db: Db, d: NewDataset): { dataset: DatasetRow; existing: boolean } {
  const found = findDatasetByHash(db, d.contentHash);
  if (found) return { dataset: found, existing: true };
  const id = `ds_${randomUUID().slice(0, 8)}`;
  db.transaction(() => {
    insertDatasetRow(db, id, d, true);
    insertItems(db, id, d.items, 0);
  })();
  return { dataset: getDataset(db, id)!, existing: false };
}

function insertDatasetRow(db: Db, id: string, d: NewDataset, complete: boolean): void {
  db.prepare(
    `INSERT INTO datasets (id, name, format, content_hash, source, item_count, rejected_json, created_at, complete)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    id,
    d.name,
    d.format,
    d.contentHash,
    d.source,
    d.items.length,
    JSON.stringify(d.rejected),
    new Date().toISOString(),
    complete ? 1 : 0,
  );
}

/** Stores `items` as the dataset's items from index `first` on (the caller holds the transaction). */
function insertItems(db: Db, id: string, items: DatasetItem[], first: number): void {
  const insertItem = db.prepare(
    `INSERT INTO items (dataset_id, idx, source_line, case_text, options_json, reference_letter, reference_reasoning)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  items.forEach((it, k) =>
    insertItem.run(
      id,
      first + k,
      it.sourceLine,
      it.caseText,
      JSON.stringify(it.options),
      it.referenceLetter,
      it.referenceReasoning,
    ),
  );
}

export function findDatasetByHash(db: Db, hash: string): DatasetRow | null {
  const r = db.prepare(`SELECT * FROM datasets WHERE content_hash = ? AND complete = 1`).get(hash) as
    RawDataset | undefined;
  return r ? toDataset(r) : null;
}

export function getDataset(db: Db, id: string): DatasetRow | null {
  const r = prepared(db, `SELECT * FROM datasets WHERE id = ? AND complete = 1`).get(id) as RawDataset | undefined;
  return r ? toDataset(r) : null;
}

export function listDatasets(db: Db): DatasetRow[] {
  return (db.prepare(`SELECT * FROM datasets WHERE complete = 1 ORDER BY created_at DESC`).all() as RawDataset[]).map(
    toDataset,
  );
}

/** An import of the same content still under way (started less than this long ago) is not replaced. */
const STALE_IMPORT_MS = 10 * 60 * 1000;

/**
 * saveDataset as steps (lib/async/steps.ts) for the server: the items go in slices of about `sliceChars` characters
 * of text, each its own transaction, with a step in between, so storing a large file does not stall other requests
 * (a slice by row count alone took 5 ms for short cases and 35 ms for long ones). The dataset stays invisible
 * (incomplete) until its last item is stored. Throws AppError conflict while the same content is being imported.
 */
export function* saveDatasetSteps(
  db: Db,
  d: NewDataset,
  sliceChars = 64 * 1024,
): Steps<{ dataset: DatasetRow; existing: boolean }> {
  const found = findDatasetByHash(db, d.contentHash);
  if (found) return { dataset: found, existing: true };
  const id = `ds_${randomUUID().slice(0, 8)}`;
  db.transaction(() => {
    const pending = db
      .prepare(`SELECT created_at FROM datasets WHERE content_hash = ? AND complete = 0`)
      .get(d.contentHash) as { created_at: string } | undefined;
    if (pending && Date.now() - Date.parse(pending.created_at) < STALE_IMPORT_MS) {
      throw new AppError("conflict", "The same file is being imported right now.", {
        fix: "Wait for that import to finish, then reload.",
      });
    }
    // A crashed import's leftovers (its items go with it, ON DELETE CASCADE).
    db.prepare(`DELETE FROM datasets WHERE content_hash = ? AND complete = 0`).run(d.contentHash);
    insertDatasetRow(db, id, d, false);
  })();
  for (let start = 0, end = 0; start < d.items.length; start = end) {
    for (let chars = 0; end < d.items.length && (end === start || chars < sliceChars); end++) {
      chars += itemChars(d.items[end]!);
    }
    db.transaction(() => insertItems(db, id, d.items.slice(start, end), start))();
    yield;
  }
  db.prepare(`UPDATE datasets SET complete = 1 WHERE id = ?`).run(id);
  return { dataset: getDataset(db, id)!, existing: false };
}

const itemChars = (item: NewDataset["items"][number]): number =>
  item.caseText.length + (item.referenceReasoning?.length ?? 0) + Object.values(item.options).join("").length;

type RawItem = {
  idx: number;
  source_line: number;
  case_text: string;
  options_json: string;
  reference_letter: DatasetItem["referenceLetter"];
  reference_reasoning: string | null;
};
const toItem = (r: RawItem): StoredItem => ({
  idx: r.idx,
  sourceLine: r.source_line,
  caseText: r.case_text,
  options: JSON.parse(r.options_json) as Options,
  referenceLetter: r.reference_letter,
  referenceReasoning: r.reference_reasoning,
});

export function getItems(db: Db, datasetId: string): StoredItem[] {
  return (db.prepare(`SELECT * FROM items WHERE dataset_id = ? ORDER BY idx`).all(datasetId) as RawItem[]).map(toItem);
}

/** Some of a dataset's items, by index (a page of the results table). */
export function getItemsAt(db: Db, datasetId: string, idxs: number[]): StoredItem[] {
  return (
    prepared(
      db,
      `SELECT * FROM items WHERE dataset_id = ? AND idx IN (SELECT value FROM json_each(?)) ORDER BY idx`,
    ).all(datasetId, JSON.stringify(idxs)) as RawItem[]
  ).map(toItem);
}

/** Indexes of the items whose case or an option contains `needle` (already lower-cased), ignoring case. */
export function searchItems(db: Db, datasetId: string, needle: string): number[] {
  const rows = db
    .prepare(`SELECT idx, case_text, options_json FROM items WHERE dataset_id = ? ORDER BY idx`)
    .all(datasetId) as { idx: number; case_text: string; options_json: string }[];
  return rows
    .filter(
      (r) =>
        r.case_text.toLowerCase().includes(needle) ||
        Object.values(JSON.parse(r.options_json) as Options).some((o) => o?.toLowerCase().includes(needle)),
    )
    .map((r) => r.idx);
}

export function getItem(db: Db, datasetId: string, idx: number): StoredItem | null {
  const r = db.prepare(`SELECT * FROM items WHERE dataset_id = ? AND idx = ?`).get(datasetId, idx) as
    RawItem | undefined;
  return r ? toItem(r) : null;
}
