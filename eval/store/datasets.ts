import "server-only";
import { randomUUID } from "node:crypto";
import type { DatasetFormat, DatasetItem, RejectedRow } from "@/eval/types";
import type { Options } from "@/lib/schemas/options";
import type { Db } from "./connection";

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
export function saveDataset(
  db: Db,
  d: {
    name: string;
    source: string | null;
    format: DatasetFormat;
    contentHash: string;
    items: DatasetItem[];
    rejected: RejectedRow[];
  },
): { dataset: DatasetRow; existing: boolean } {
  const found = findDatasetByHash(db, d.contentHash);
  if (found) return { dataset: found, existing: true };
  const id = `ds_${randomUUID().slice(0, 8)}`;
  const insertItem = db.prepare(
    `INSERT INTO items (dataset_id, idx, source_line, case_text, options_json, reference_letter, reference_reasoning)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    db.prepare(
      `INSERT INTO datasets (id, name, format, content_hash, source, item_count, rejected_json, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      id,
      d.name,
      d.format,
      d.contentHash,
      d.source,
      d.items.length,
      JSON.stringify(d.rejected),
      new Date().toISOString(),
    );
    d.items.forEach((it, idx) =>
      insertItem.run(
        id,
        idx,
        it.sourceLine,
        it.caseText,
        JSON.stringify(it.options),
        it.referenceLetter,
        it.referenceReasoning,
      ),
    );
  })();
  return { dataset: getDataset(db, id)!, existing: false };
}

export function findDatasetByHash(db: Db, hash: string): DatasetRow | null {
  const r = db.prepare(`SELECT * FROM datasets WHERE content_hash = ?`).get(hash) as RawDataset | undefined;
  return r ? toDataset(r) : null;
}

export function getDataset(db: Db, id: string): DatasetRow | null {
  const r = db.prepare(`SELECT * FROM datasets WHERE id = ?`).get(id) as RawDataset | undefined;
  return r ? toDataset(r) : null;
}

export function listDatasets(db: Db): DatasetRow[] {
  return (db.prepare(`SELECT * FROM datasets ORDER BY created_at DESC`).all() as RawDataset[]).map(toDataset);
}

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

export function getItem(db: Db, datasetId: string, idx: number): StoredItem | null {
  const r = db.prepare(`SELECT * FROM items WHERE dataset_id = ? AND idx = ?`).get(datasetId, idx) as
    RawItem | undefined;
  return r ? toItem(r) : null;
}
