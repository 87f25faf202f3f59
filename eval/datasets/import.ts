/**
 * Dataset import: the importer (importer.ts) run over a whole text (the CLI, tests) or over text as it arrives (the
 * server), then stored. See importer.ts for format detection and what is rejected.
 */
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import type { ImportResult, RejectedRow } from "@/eval/types";
import type { Db } from "@/eval/store/connection";
import { saveDataset, saveDatasetSteps, type DatasetRow } from "@/eval/store/datasets";
import { runInSlices, slicePauses } from "@/lib/async/steps";
import { ACCEPTED_FORMATS, DatasetImporter, type ImportOutcome } from "./importer";
import { DatasetFormatError } from "./validate";

export { ACCEPTED_FORMATS, DatasetFormatError, DatasetImporter };
export { contentHash } from "./hash";

export function importDataset(text: string, opts: { filename?: string } = {}): ImportResult {
  const { contentHash: _hash, ...result } = importWhole(text, opts);
  return result;
}

function importWhole(text: string, opts: { filename?: string }): ImportOutcome {
  const importer = new DatasetImporter(opts);
  importer.push(text);
  return importer.end();
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
type StoreOptions = { name: string; filename?: string; source?: string | null };

/**
 * Imports a file and stores it. The same content (see contentHash) is recognised: the stored dataset is returned
 * with `existing: true` and nothing is written twice. Throws DatasetImportError when no row is usable, and the
 * importer's DatasetFormatError for an unrecognised format.
 */
export function importIntoDb(db: Db, text: string, opts: StoreOptions): ImportIntoDbResult {
  const result = importWhole(text, { filename: opts.filename });
  requireRows(result, opts.filename);
  return stored(saveDataset(db, toNewDataset(result, opts)));
}

/**
 * importIntoDb for the server, over text as it arrives: each chunk is parsed and validated when it comes (a chunk
 * is small, and the next one is awaited), and the rows are stored in slices that give the event loop back, so a
 * 45 MB upload does not stall every clinician's stream while it is read. `name` may be settled only once the whole
 * upload is read (a form's name field can follow its file).
 */
export async function importIntoDbFromChunks(
  db: Db,
  chunks: AsyncIterable<string>,
  opts: { filename?: string; source?: string | null; name: () => string },
): Promise<ImportIntoDbResult> {
  const importer = new DatasetImporter({ filename: opts.filename });
  const pause = slicePauses();
  for await (const chunk of chunks) {
    importer.push(chunk);
    await pause();
  }
  return storeImport(db, importer.end(), { ...opts, name: opts.name() });
}

/** Stores what an importer read, in slices (see saveDatasetSteps). Throws DatasetImportError when no row is usable. */
export async function storeImport(db: Db, result: ImportOutcome, opts: StoreOptions): Promise<ImportIntoDbResult> {
  requireRows(result, opts.filename);
  return stored(await runInSlices(saveDatasetSteps(db, toNewDataset(result, opts))));
}

/** importIntoDbFromChunks over a text already in memory (a JSON upload, a Hugging Face download). */
export function importIntoDbInSlices(db: Db, text: string, opts: StoreOptions): Promise<ImportIntoDbResult> {
  return importIntoDbFromChunks(db, slicesOf(text), { ...opts, name: () => opts.name });
}

/** The text in 256 KB pieces, with the event loop given back between them. */
export async function* slicesOf(text: string, size = 256 * 1024): AsyncGenerator<string> {
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + size, text.length);
    // Never split a surrogate pair: the CSV reader would turn each half into a replacement character.
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    yield text.slice(start, end);
    start = end;
    if (start < text.length) await yieldToEventLoop();
  }
}

function toNewDataset(result: ImportOutcome, opts: StoreOptions) {
  return {
    name: opts.name,
    source: opts.source !== undefined ? opts.source : (opts.filename ?? null),
    format: result.format,
    contentHash: result.contentHash,
    items: result.items,
    rejected: result.rejected,
  };
}

const stored = ({ dataset, existing }: { dataset: DatasetRow; existing: boolean }): ImportIntoDbResult => ({
  dataset,
  existing,
  accepted: dataset.itemCount,
  rejected: dataset.rejected,
});

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
