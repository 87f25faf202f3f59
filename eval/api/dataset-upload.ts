import "server-only";
import type { Db } from "@/eval/store/connection";
import type { DatasetRow } from "@/eval/store/datasets";
import {
  DatasetFormatError,
  DatasetImporter,
  DatasetImportError,
  importIntoDbInSlices,
  storeImport,
  type ImportIntoDbResult,
} from "@/eval/datasets/import";
import { fetchHfDataset, HfDatasetError } from "@/eval/datasets/huggingface";
import { ImportJsonRequestSchema } from "@/eval/api/schemas";
import { MultipartError, streamMultipart } from "./multipart";
import { AppError } from "@/lib/errors";
import { bodyChunks, isJsonContentType, issuesOf, readBodyBytes } from "@/lib/http/read-json";

/** Datasets are files of thousands of cases, far above the ask API's 64 KB. */
const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

export const datasetView = (d: DatasetRow) => ({
  id: d.id,
  name: d.name,
  format: d.format,
  source: d.source,
  itemCount: d.itemCount,
  rejectedCount: d.rejected.length,
  createdAt: d.createdAt,
});

/**
 * Imports an upload (multipart `file` [+ `name`]) or JSON `{text, name?, filename?}` / `{huggingface: {dataset, …}}`
 * and stores it. A multipart file is parsed while it arrives. Bad requests become 4xx AppErrors; only the
 * importer's own errors (an unreadable format, no usable row) are bad input (422 invalid_dataset), anything else
 * propagates as a bug (a logged 500).
 */
export async function importUpload(request: Request, db: Db, hfDatasetsUrl: string): Promise<ImportIntoDbResult> {
  const type = request.headers.get("content-type") ?? "";
  const multipart = type.startsWith("multipart/form-data");
  if (!multipart && !isJsonContentType(type)) {
    throw new AppError(
      "unsupported_media_type",
      "Upload multipart/form-data with a `file`, or JSON ({text} or {huggingface}); raw JSONL/CSV bodies are not accepted.",
    );
  }
  try {
    if (multipart) return await fromMultipart(request, db, type);
    const source = await fromJson(await readBodyBytes(request, MAX_UPLOAD_BYTES), hfDatasetsUrl, request.signal);
    return await importIntoDbInSlices(db, source.text, {
      name: source.name,
      filename: source.filename,
      source: source.origin,
    });
  } catch (err) {
    throw asImportError(err);
  }
}

async function fromMultipart(request: Request, db: Db, type: string): Promise<ImportIntoDbResult> {
  let importer: DatasetImporter | null = null;
  // Read through the cap as it arrives: formData() would buffer a chunked upload (no Content-Length) whole.
  const body = bodyChunks(request, MAX_UPLOAD_BYTES);
  const { filename, fields } = await streamMultipart(body, type, "file", (name) => {
    const reader = new DatasetImporter({ filename: name });
    importer = reader;
    return (text) => reader.push(text);
  });
  if (!importer || filename === null) throw new AppError("invalid_request", "Attach the dataset as the `file` field.");
  const name = fields.get("name")?.trim() || filename.replace(/\.[^.]+$/, "");
  return storeImport(db, (importer as DatasetImporter).end(), { name, filename, source: filename });
}

type JsonSource = { text: string; name: string; filename?: string; origin: string | null };

async function fromJson(
  bytes: Uint8Array<ArrayBuffer>,
  hfDatasetsUrl: string,
  signal: AbortSignal,
): Promise<JsonSource> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch (err) {
    throw new AppError("invalid_json", `The request body is not valid JSON: ${(err as Error).message}`);
  }
  const body = ImportJsonRequestSchema.safeParse(parsed);
  if (!body.success) throw new AppError("invalid_request", "Invalid import request.", { issues: issuesOf(body.error) });
  const b = body.data;
  if (b.huggingface) {
    const text = await fromHuggingFace(b.huggingface, hfDatasetsUrl, signal);
    return {
      text,
      name: b.name ?? b.huggingface.dataset,
      filename: "rows.jsonl",
      origin: `hf:${b.huggingface.dataset}`,
    };
  }
  return {
    text: b.text ?? "",
    name: b.name ?? b.filename ?? "dataset",
    filename: b.filename,
    origin: b.filename ?? null,
  };
}

async function fromHuggingFace(
  hf: { dataset: string; config?: string; split?: string; limit?: number },
  baseUrl: string,
  signal: AbortSignal,
) {
  try {
    return await fetchHfDataset(hf.dataset, { baseUrl, config: hf.config, split: hf.split, limit: hf.limit, signal });
  } catch (err) {
    if (err instanceof HfDatasetError) {
      // Hugging Face refusing the name (a 4xx other than rate limiting) is the caller's mistake, not Hugging Face
      // being away: 404 for a dataset that is missing or private, 400 for a name it rejects; 503 only for outages.
      const s = err.status;
      const code =
        s === 404 || s === 401 || s === 403
          ? "not_found"
          : err.badName || (s !== null && s >= 400 && s < 500 && s !== 429)
            ? "invalid_request"
            : "upstream_unavailable";
      throw new AppError(code, err.message, {
        fix: "Check the dataset name; without internet access, download the JSONL and upload it instead.",
      });
    }
    throw err;
  }
}

/** The errors of reading an upload, as the caller should hear them. */
function asImportError(err: unknown): unknown {
  if (err instanceof AppError) {
    if (err.code !== "payload_too_large") return err;
    return new AppError("payload_too_large", "Dataset uploads are limited to 50 MB.", {
      fix: "Split the file, or import it from Hugging Face by name.",
    });
  }
  if (err instanceof MultipartError) {
    return new AppError("invalid_request", "The upload could not be read as multipart form data.", { cause: err });
  }
  if (err instanceof DatasetImportError) {
    return new AppError("invalid_dataset", err.message, {
      issues: err.rejected.map((r) => ({ path: [`line ${r.line}`], message: r.reason })),
    });
  }
  if (err instanceof DatasetFormatError) return new AppError("invalid_dataset", err.message);
  return err;
}
