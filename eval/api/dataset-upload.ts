import "server-only";
import type { Db } from "@/eval/store/connection";
import type { DatasetRow } from "@/eval/store/datasets";
import { DatasetFormatError, DatasetImportError, importIntoDbInSlices } from "@/eval/datasets/import";
import { fetchHfDataset, HfDatasetError } from "@/eval/datasets/huggingface";
import { ImportJsonRequestSchema } from "@/eval/api/schemas";
import { decodeInSlices, multipartParts } from "./multipart";
import { AppError } from "@/lib/errors";
import { isJsonContentType, issuesOf, readBodyBytes } from "@/lib/http/read-json";

/** Datasets are files of thousands of cases, far above the ask API's 64 KB. */
const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

type Source = { text: string; name: string; filename?: string; origin: string | null };

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
 * Reads an upload (multipart `file` [+ `name`]) or JSON `{text, name?, filename?}` / `{huggingface: {dataset, …}}`
 * into the text to import. Bad requests become 4xx AppErrors.
 */
export async function readDatasetSource(request: Request, hfDatasetsUrl: string): Promise<Source> {
  const type = request.headers.get("content-type") ?? "";
  const multipart = type.startsWith("multipart/form-data");
  if (!multipart && !isJsonContentType(type)) {
    throw new AppError(
      "unsupported_media_type",
      "Upload multipart/form-data with a `file`, or JSON ({text} or {huggingface}); raw JSONL/CSV bodies are not accepted.",
    );
  }
  // Read through the cap first: formData() and json() would buffer a chunked upload (no Content-Length) whole.
  const bytes = await readBodyBytes(request, MAX_UPLOAD_BYTES).catch((err: unknown) => {
    if (err instanceof AppError && err.code === "payload_too_large") {
      throw new AppError("payload_too_large", "Dataset uploads are limited to 50 MB.", {
        fix: "Split the file, or import it from Hugging Face by name.",
      });
    }
    if (err instanceof AppError) throw err;
    throw new AppError("invalid_request", "The upload could not be read completely.", { cause: err });
  });
  return multipart ? fromMultipart(bytes, type) : fromJson(bytes, hfDatasetsUrl, request.signal);
}

async function fromMultipart(bytes: Uint8Array<ArrayBuffer>, type: string): Promise<Source> {
  const parts = multipartParts(bytes, type);
  if (!parts) throw new AppError("invalid_request", "The upload could not be read as multipart form data.");
  const file = parts.find((p) => p.name === "file" && p.filename !== null);
  if (!file) throw new AppError("invalid_request", "Attach the dataset as the `file` field.");
  const filename = file.filename ?? "dataset";
  const given = parts
    .find((p) => p.name === "name" && p.filename === null)
    ?.body.toString("utf8")
    .trim();
  const name = given || filename.replace(/\.[^.]+$/, "");
  return { text: await decodeInSlices(file.body), name, filename, origin: filename };
}

async function fromJson(bytes: Uint8Array<ArrayBuffer>, hfDatasetsUrl: string, signal: AbortSignal): Promise<Source> {
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

/**
 * Imports and stores the source. Only the importer's own errors (an unreadable format, no usable row) are bad input
 * (422 invalid_dataset); anything else propagates as a bug (a logged 500).
 */
export async function importSource(db: Db, s: Source) {
  try {
    return await importIntoDbInSlices(db, s.text, { name: s.name, filename: s.filename, source: s.origin });
  } catch (err) {
    if (err instanceof DatasetImportError) {
      throw new AppError("invalid_dataset", err.message, {
        issues: err.rejected.map((r) => ({ path: [`line ${r.line}`], message: r.reason })),
      });
    }
    if (err instanceof DatasetFormatError) throw new AppError("invalid_dataset", err.message);
    throw err;
  }
}
