/**
 * Dataset import: detects the format from the file's fields, validates every row, and reports each rejected row
 * with its line and reason. Blank lines are skipped; nothing else is dropped without a reason.
 *
 * Format detection:
 * - JSONL when the first non-blank line starts with "{" (or, when it does not, the filename ends in .jsonl,
 *   .ndjson or .json, so a broken first line is reported as a bad row instead of as "not CSV"). The keys of the
 *   first line that parses as a JSON object pick the format: `input` + `output` → medical-reasoning;
 *   `question` + `options` + `answer_idx` → MedQA.
 * - CSV otherwise; its header must have the MCQ columns.
 * - Anything else throws a DatasetFormatError that lists the accepted formats.
 */
import path from "node:path";
import type { DatasetFormat, DatasetItem, ImportResult, RejectedRow } from "@/eval/types";
import type { Db } from "@/eval/store/connection";
import { saveDataset, saveDatasetSteps, type DatasetRow } from "@/eval/store/datasets";
import { parseCsvSteps } from "./csv";
import { every, runInSlices, runNow, type Steps } from "@/lib/async/steps";
import { contentHash, contentHashSteps } from "./hash";
import { mcqCsvItem, readMcqHeader, MCQ_CSV_REQUIRED } from "./mcq-csv";
import { medicalReasoningItem, MEDICAL_REASONING_FIELDS } from "./medical-reasoning";
import { medqaItem, MEDQA_FIELDS } from "./medqa";
import { DatasetFormatError, RowRejection, type ItemFields } from "./validate";

export { DatasetFormatError };

export { contentHash } from "./hash";

export const ACCEPTED_FORMATS =
  "Accepted formats:\n" +
  `- medical-reasoning JSONL (as Hugging Face mamachang/medical-reasoning): one object per line with ${quoteAll(MEDICAL_REASONING_FIELDS)}\n` +
  `- MedQA JSONL: one object per line with ${quoteAll(MEDQA_FIELDS)} ("options" like {"A": "…", "B": "…"}, "answer_idx" a letter), optional "answer" (the correct option's text)\n` +
  `- MCQ CSV: a header row with ${MCQ_CSV_REQUIRED.join(", ")}, optional ope, the answer as answer_idx (a letter) or cop (1-based: 1 = opa), optional explanation`;

function quoteAll(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(", ");
}

export function importDataset(text: string, opts: { filename?: string } = {}): ImportResult {
  return runNow(importSteps(text, opts));
}

/** importDataset as steps (see steps.ts): the server runs them in slices, the CLI and tests at once. */
export function* importSteps(text: string, opts: { filename?: string } = {}): Steps<ImportResult> {
  const body = text.replace(/^\uFEFF/, "");
  const label = opts.filename ? `"${opts.filename}"` : "The file";
  if (body.trim() === "") throw new DatasetFormatError(`${label} is empty. ${ACCEPTED_FORMATS}`);
  return isJsonl(body, label, opts.filename) ? yield* importJsonl(body, label) : yield* importCsv(body, label);
}

function isJsonl(body: string, label: string, filename: string | undefined): boolean {
  const first = body.trimStart()[0];
  if (first === "{") return true;
  if (first === "[") {
    throw new DatasetFormatError(
      `${label} is a JSON array; put one JSON object per line (JSONL) instead. ${ACCEPTED_FORMATS}`,
    );
  }
  const ext = filename ? path.extname(filename).toLowerCase() : "";
  return ext === ".jsonl" || ext === ".ndjson" || ext === ".json";
}

const JSONL_READERS: Record<Exclude<DatasetFormat, "mcq-csv">, (row: Record<string, unknown>) => ItemFields> = {
  "medical-reasoning": medicalReasoningItem,
  medqa: medqaItem,
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function jsonlFormat(keys: string[]): Exclude<DatasetFormat, "mcq-csv"> | null {
  const has = (k: string) => keys.includes(k);
  if (has("input") && has("output")) return "medical-reasoning";
  if (MEDQA_FIELDS.every(has)) return "medqa";
  return null;
}

function* importJsonl(body: string, label: string): Steps<ImportResult> {
  type Line = { line: number; value: unknown; error: string | null };
  const lines: Line[] = [];
  const pause = every(256);
  const raws = body.split("\n");
  for (let i = 0; i < raws.length; i++) {
    const raw = raws[i]!;
    const text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (pause()) yield;
    if (text.trim() === "") continue;
    try {
      lines.push({ line: i + 1, value: JSON.parse(text), error: null });
    } catch (error) {
      lines.push({
        line: i + 1,
        value: undefined,
        error: `invalid JSON: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }

  const first = lines.find((l) => l.error === null && isObject(l.value));
  if (!first)
    throw new DatasetFormatError(
      `${label} has no line that is a JSON object, so its format cannot be recognised. ${ACCEPTED_FORMATS}`,
    );
  const keys = Object.keys(first.value as object);
  const format = jsonlFormat(keys);
  if (!format) {
    throw new DatasetFormatError(
      `${label} is not a recognised dataset: the first JSON object (line ${first.line}) has the fields ${quoteAll(keys) || "(none)"}. ${ACCEPTED_FORMATS}`,
    );
  }

  const read = JSONL_READERS[format];
  const items: DatasetItem[] = [];
  const rejected: RejectedRow[] = [];
  for (const { line, value, error } of lines) {
    if (pause()) yield;
    if (error !== null) rejected.push({ line, reason: error });
    else if (!isObject(value))
      rejected.push({
        line,
        reason: `not a JSON object (got ${Array.isArray(value) ? "an array" : JSON.stringify(value).slice(0, 40)})`,
      });
    else collect(() => read(value), line, items, rejected);
  }
  return { format, items, rejected };
}

function* importCsv(body: string, label: string): Steps<ImportResult> {
  // Record numbers count every record, blank ones included, so they match the row numbers a spreadsheet shows
  // (header = 1). A record spanning several text lines also names the text line it starts on.
  const records = (yield* parseCsvSteps(body)).map((r, i) => ({ ...r, number: i + 1 }));
  const pause = every(256);
  const isBlank = (fields: string[]) => fields.every((f) => f.trim() === "");
  const headerAt = records.findIndex((r) => !isBlank(r.fields));
  const header = records[headerAt];
  if (!header) throw new DatasetFormatError(`${label} is empty. ${ACCEPTED_FORMATS}`);
  if (header.error) throw new DatasetFormatError(`${label}: the CSV header is malformed: ${header.error}`);

  const found = readMcqHeader(header.fields);
  if ("missing" in found) {
    const why =
      header.fields.length === 1
        ? `its first line is neither a JSON object nor a comma-separated header: ${JSON.stringify(header.fields[0]!.slice(0, 80))}`
        : `the CSV header lacks ${found.missing.join(", ")} (it has ${header.fields.map((f) => f.trim()).join(", ")})`;
    throw new DatasetFormatError(`${label} is not a recognised dataset: ${why}. ${ACCEPTED_FORMATS}`);
  }

  const items: DatasetItem[] = [];
  const rejected: RejectedRow[] = [];
  for (const record of records.slice(headerAt + 1)) {
    if (pause()) yield;
    // Blank lines and rows of empty cells (spreadsheets export ",,,,") are not questions; skipping them is not a loss.
    if (record.error === null && isBlank(record.fields)) continue;
    const where = record.line !== record.number ? ` (record starts on text line ${record.line})` : "";
    const before = rejected.length;
    if (record.error !== null) rejected.push({ line: record.number, reason: `malformed CSV: ${record.error}` });
    else collect(() => mcqCsvItem(record.fields, found.layout), record.number, items, rejected);
    if (rejected.length > before && where) rejected[rejected.length - 1]!.reason += where;
  }
  return { format: "mcq-csv", items, rejected };
}

/** Runs one row reader: a RowRejection becomes a rejected row; any other error is a bug and propagates. */
function collect(read: () => ItemFields, line: number, items: DatasetItem[], rejected: RejectedRow[]): void {
  try {
    items.push({ sourceLine: line, ...read() });
  } catch (error) {
    if (!(error instanceof RowRejection)) throw error;
    rejected.push({ line, reason: error.message });
  }
}

/** Thrown when a file yields no usable row; `rejected` says why each row was refused. */
export class DatasetImportError extends Error {
  override name = "DatasetImportError";
  constructor(
    message: string,
    readonly rejected: RejectedRow[],
  ) {
    super(message);
  }
}

const SHOWN_REJECTIONS = 5;

export type ImportIntoDbResult = { dataset: DatasetRow; existing: boolean; accepted: number; rejected: RejectedRow[] };

/**
 * Imports a file and stores it. The same content (see contentHash) is recognised: the stored dataset is returned
 * with `existing: true` and nothing is written twice. Throws DatasetImportError when no row is usable, and the
 * importDataset error for an unrecognised format.
 */
export function importIntoDb(
  db: Db,
  text: string,
  opts: { name: string; filename?: string; source?: string | null },
): ImportIntoDbResult {
  const result = importDataset(text, { filename: opts.filename });
  requireRows(result, opts.filename);
  const { dataset, existing } = saveDataset(db, {
    name: opts.name,
    source: opts.source !== undefined ? opts.source : (opts.filename ?? null),
    format: result.format,
    contentHash: contentHash(text),
    items: result.items,
    rejected: result.rejected,
  });
  return { dataset, existing, accepted: dataset.itemCount, rejected: dataset.rejected };
}

/**
 * importIntoDb for the server: parsing, validation, hashing and storing run in slices that give the event loop back
 * every few milliseconds, so a 45 MB upload does not stall every clinician's stream while it is read.
 */
export async function importIntoDbInSlices(
  db: Db,
  text: string,
  opts: { name: string; filename?: string; source?: string | null },
): Promise<ImportIntoDbResult> {
  const result = await runInSlices(importSteps(text, { filename: opts.filename }));
  requireRows(result, opts.filename);
  const { dataset, existing } = await runInSlices(
    saveDatasetSteps(db, {
      name: opts.name,
      source: opts.source !== undefined ? opts.source : (opts.filename ?? null),
      format: result.format,
      contentHash: await runInSlices(contentHashSteps(text)),
      items: result.items,
      rejected: result.rejected,
    }),
  );
  return { dataset, existing, accepted: dataset.itemCount, rejected: dataset.rejected };
}

function requireRows(result: ImportResult, filename: string | undefined): void {
  if (result.items.length === 0) {
    const shown = result.rejected.slice(0, SHOWN_REJECTIONS).map((r) => `line ${r.line}: ${r.reason}`);
    const more = result.rejected.length - shown.length;
    throw new DatasetImportError(
      `No rows could be imported from ${filename ? `"${filename}"` : "the file"} (${result.format}): ` +
        (result.rejected.length === 0
          ? "it has no data rows."
          : `all ${result.rejected.length} rows were rejected.\n${shown.join("\n")}${more > 0 ? `\n…and ${more} more` : ""}`),
      result.rejected,
    );
  }
}
