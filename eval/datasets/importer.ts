/**
 * The importer proper, fed text as it arrives (an upload is parsed while it is still coming in) or all at once (the
 * CLI, tests). It detects the format from the first non-blank character and the first row's fields, validates every
 * row, and reports each rejected row with its line and reason. Blank lines are skipped; nothing else is dropped
 * without a reason.
 *
 * Format detection:
 * - JSONL when the first non-blank character is "{" (or, when it is not, the filename ends in .jsonl, .ndjson or
 *   .json, so a broken first line is reported as a bad row instead of as "not CSV"). The keys of the first line that
 *   parses as a JSON object pick the format: `input` + `output` → medical-reasoning; `question` + `options` +
 *   `answer_idx` → MedQA.
 * - CSV otherwise; its header must have the MCQ columns.
 * - Anything else throws a DatasetFormatError that lists the accepted formats.
 */
import path from "node:path";
import type { DatasetFormat, DatasetItem, ImportResult, RejectedRow } from "@/eval/types";
import { CsvReader, type CsvRecord } from "./csv";
import { ContentHasher } from "./hash";
import { LineSplitter } from "./lines";
import { mcqCsvItem, readMcqHeader, MCQ_CSV_REQUIRED, type McqCsvLayout } from "./mcq-csv";
import { medicalReasoningItem, MEDICAL_REASONING_FIELDS } from "./medical-reasoning";
import { medqaItem, MEDQA_FIELDS } from "./medqa";
import { DatasetFormatError, RowRejection, type ItemFields } from "./validate";

export const ACCEPTED_FORMATS =
  "Accepted formats:\n" +
  `- medical-reasoning JSONL (as Hugging Face mamachang/medical-reasoning): one object per line with ${quoteAll(MEDICAL_REASONING_FIELDS)}\n` +
  `- MedQA JSONL: one object per line with ${quoteAll(MEDQA_FIELDS)} ("options" like {"A": "…", "B": "…"}, "answer_idx" a letter), optional "answer" (the correct option's text)\n` +
  `- MCQ CSV: a header row with ${MCQ_CSV_REQUIRED.join(", ")}, optional ope, the answer as answer_idx (a letter) or cop (1-based: 1 = opa), optional explanation`;

function quoteAll(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(", ");
}

export type ImportOutcome = ImportResult & { contentHash: string };

interface Rows {
  push(chunk: string): void;
  end(): ImportResult;
}

export class DatasetImporter {
  private readonly label: string;
  private readonly hasher = new ContentHasher();
  /** Text seen before the first non-blank character, which decides the format. */
  private head = "";
  private rows: Rows | null = null;
  private started = false;

  constructor(private readonly opts: { filename?: string } = {}) {
    this.label = opts.filename ? `"${opts.filename}"` : "The file";
  }

  /** Reads the next piece of text. Throws DatasetFormatError as soon as the file cannot be a dataset. */
  push(chunk: string): void {
    if (!this.started && chunk.length > 0) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    this.hasher.push(chunk);
    if (this.rows) return this.rows.push(chunk);
    this.head += chunk;
    const first = chunk.trimStart()[0];
    if (first === undefined) return;
    this.rows = this.isJsonl(first) ? new JsonlRows(this.label) : new CsvRows(this.label);
    const head = this.head;
    this.head = "";
    this.rows.push(head);
  }

  end(): ImportOutcome {
    if (!this.rows) throw new DatasetFormatError(`${this.label} is empty. ${ACCEPTED_FORMATS}`);
    return { ...this.rows.end(), contentHash: this.hasher.digest() };
  }

  private isJsonl(first: string): boolean {
    if (first === "{") return true;
    if (first === "[") {
      throw new DatasetFormatError(
        `${this.label} is a JSON array; put one JSON object per line (JSONL) instead. ${ACCEPTED_FORMATS}`,
      );
    }
    const ext = this.opts.filename ? path.extname(this.opts.filename).toLowerCase() : "";
    return ext === ".jsonl" || ext === ".ndjson" || ext === ".json";
  }
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

type JsonLine = { line: number; value: unknown; error: string | null };

class JsonlRows implements Rows {
  private readonly lines = new LineSplitter();
  private lineNo = 0;
  private format: Exclude<DatasetFormat, "mcq-csv"> | null = null;
  /** Lines before the first JSON object, kept until that object says which format they were meant to be. */
  private pending: JsonLine[] = [];
  private readonly items: DatasetItem[] = [];
  private readonly rejected: RejectedRow[] = [];

  constructor(private readonly label: string) {}

  push(chunk: string): void {
    for (const text of this.lines.push(chunk)) this.line(text);
  }

  end(): ImportResult {
    for (const text of this.lines.end()) this.line(text);
    if (!this.format) {
      throw new DatasetFormatError(
        `${this.label} has no line that is a JSON object, so its format cannot be recognised. ${ACCEPTED_FORMATS}`,
      );
    }
    return { format: this.format, items: this.items, rejected: this.rejected };
  }

  private line(text: string): void {
    const line = ++this.lineNo;
    if (text.trim() === "") return;
    let parsed: JsonLine;
    try {
      parsed = { line, value: JSON.parse(text), error: null };
    } catch (error) {
      parsed = {
        line,
        value: undefined,
        error: `invalid JSON: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    if (this.format) return this.take(this.format, parsed);
    if (parsed.error !== null || !isObject(parsed.value)) {
      this.pending.push(parsed);
      return;
    }
    const keys = Object.keys(parsed.value);
    this.format = jsonlFormat(keys);
    if (!this.format) {
      throw new DatasetFormatError(
        `${this.label} is not a recognised dataset: the first JSON object (line ${line}) has the fields ${quoteAll(keys) || "(none)"}. ${ACCEPTED_FORMATS}`,
      );
    }
    for (const earlier of this.pending) this.take(this.format, earlier);
    this.pending = [];
    this.take(this.format, parsed);
  }

  private take(format: Exclude<DatasetFormat, "mcq-csv">, { line, value, error }: JsonLine): void {
    if (error !== null) this.rejected.push({ line, reason: error });
    else if (!isObject(value))
      this.rejected.push({
        line,
        reason: `not a JSON object (got ${Array.isArray(value) ? "an array" : JSON.stringify(value).slice(0, 40)})`,
      });
    else collect(() => JSONL_READERS[format](value), line, this.items, this.rejected);
  }
}

const isBlank = (fields: string[]) => fields.every((f) => f.trim() === "");

class CsvRows implements Rows {
  private readonly reader = new CsvReader();
  /**
   * Record numbers count every record, blank ones included, so they match the row numbers a spreadsheet shows
   * (header = 1). A record spanning several text lines also names the text line it starts on.
   */
  private number = 0;
  private layout: McqCsvLayout | null = null;
  private readonly items: DatasetItem[] = [];
  private readonly rejected: RejectedRow[] = [];

  constructor(private readonly label: string) {}

  push(chunk: string): void {
    for (const record of this.reader.push(chunk)) this.record(record);
  }

  end(): ImportResult {
    for (const record of this.reader.end()) this.record(record);
    if (!this.layout) throw new DatasetFormatError(`${this.label} is empty. ${ACCEPTED_FORMATS}`);
    return { format: "mcq-csv", items: this.items, rejected: this.rejected };
  }

  private record(record: CsvRecord): void {
    const number = ++this.number;
    if (!this.layout) return this.header(record);
    // Blank lines and rows of empty cells (spreadsheets export ",,,,") are not questions; skipping them is not a loss.
    if (record.error === null && isBlank(record.fields)) return;
    const where = record.line !== number ? ` (record starts on text line ${record.line})` : "";
    const before = this.rejected.length;
    if (record.error !== null) this.rejected.push({ line: number, reason: `malformed CSV: ${record.error}` });
    else collect(() => mcqCsvItem(record.fields, this.layout!), number, this.items, this.rejected);
    if (this.rejected.length > before && where) this.rejected[this.rejected.length - 1]!.reason += where;
  }

  private header(record: CsvRecord): void {
    if (record.error !== null) {
      throw new DatasetFormatError(`${this.label}: the CSV header is malformed: ${record.error}`);
    }
    if (isBlank(record.fields)) return;
    const found = readMcqHeader(record.fields);
    if ("missing" in found) {
      const why =
        record.fields.length === 1
          ? `its first line is neither a JSON object nor a comma-separated header: ${JSON.stringify(record.fields[0]!.slice(0, 80))}`
          : `the CSV header lacks ${found.missing.join(", ")} (it has ${record.fields.map((f) => f.trim()).join(", ")})`;
      throw new DatasetFormatError(`${this.label} is not a recognised dataset: ${why}. ${ACCEPTED_FORMATS}`);
    }
    this.layout = found.layout;
  }
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
