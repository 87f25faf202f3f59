/**
 * Hugging Face datasets-server stand-in: a node:http server on 127.0.0.1 that answers `GET /rows` the way
 * https://datasets-server.huggingface.co does, so the HF loader is tested without a network.
 *
 * Wire facts it reproduces (https://huggingface.co/docs/dataset-viewer/rows):
 * - `GET /rows?dataset=&config=&split=&offset=&length=`; `length` defaults to 100 and may not exceed 100;
 * - reply `{features:[{feature_idx,name,type:{dtype,_type}}], rows:[{row_idx,row:{…},truncated_cells:[]}],
 *   num_rows_total, num_rows_per_page: 100, partial: false}`, where row_idx is the absolute index in the split and
 *   num_rows_per_page is always 100 whatever `length` was asked for;
 * - errors are JSON `{"error": "…"}`; an unknown dataset gets the server's "does not exist, or is not accessible"
 *   text (the real server answers 401 without a token and 404 with one; the stand-in uses 404). The wording of
 *   the other error bodies (422 parameter errors, unknown config/split) is the stand-in's own.
 *
 * The medical-reasoning data is the 93 rows of ../shared/data/medical-reasoning-test93.jsonl when ../shared exists
 * (rows exactly as the real server returns mamachang/medical-reasoning), else the three handwritten rows of
 * fixtures/hf/medical-reasoning-rows.json, a /rows reply body in the real shape.
 */
import { readFileSync } from "node:fs";
import type http from "node:http";
import { fileURLToPath } from "node:url";
import { hasShared, sharedPath } from "./shared-data";
import { FaultSwitch, sendJson, StandinServer } from "./standin-core";

export type HfFeature = { feature_idx: number; name: string; type: { dtype: string; _type: string } };
export type HfRow = { row_idx: number; row: Record<string, unknown>; truncated_cells: string[] };
export type HfRowsResponse = {
  features: HfFeature[];
  rows: HfRow[];
  num_rows_total: number;
  num_rows_per_page: number;
  partial: boolean;
};

export type HfStandinDataset = {
  dataset: string;
  config: string;
  split: string;
  features: HfFeature[];
  rows: Record<string, unknown>[];
  /** Row indexes whose cells the server reports as truncated (the real server cuts very large cells). */
  truncatedRows?: Map<number, string[]>;
};

export type HfFault =
  | { kind: "none" }
  /** 429 with an optional Retry-After header value (seconds or an HTTP date). */
  | { kind: "rateLimited"; retryAfter?: string }
  | { kind: "status"; status: number; error: string }
  /** Destroy the socket without answering: the client's fetch fails like a dropped connection. */
  | { kind: "dropConnection" };

export type HfStandinRequest = { path: string; params: Record<string, string> };

export type HfStandin = {
  /** http://127.0.0.1:PORT, for `baseUrl` */
  url: string;
  port: number;
  /** Every request seen, in order. */
  requests: HfStandinRequest[];
  /** Persistent until changed; `times` makes it apply to the next N requests only. */
  setFault(f: HfFault, opts?: { times?: number }): void;
  reset(): void;
  stop(): Promise<void>;
};

export const MEDICAL_REASONING = "mamachang/medical-reasoning";
export const HF_FIXTURE_PATH = fileURLToPath(new URL("./fixtures/hf/medical-reasoning-rows.json", import.meta.url));
export const MAX_LENGTH = 100;
const MEDICAL_REASONING_SPLIT = { dataset: MEDICAL_REASONING, config: "default", split: "train" } as const;

const NOT_FOUND =
  "The dataset does not exist, or is not accessible without authentication (private or gated). Please check the spelling of the dataset name or retry with authentication.";

const stringFeatures = (names: string[]): HfFeature[] =>
  names.map((name, feature_idx) => ({ feature_idx, name, type: { dtype: "string", _type: "Value" } }));

/** mamachang/medical-reasoning, config "default", split "train": the shared 93 rows, or the 3-row fixture without ../shared. */
export function medicalReasoningDataset(): HfStandinDataset & { source: "shared" | "fixture" } {
  return hasShared ? sharedMedicalReasoningDataset() : fixtureMedicalReasoningDataset();
}

/** The 93 rows of the shared test split, served as the real server serves mamachang/medical-reasoning. */
export function sharedMedicalReasoningDataset(): HfStandinDataset & { source: "shared" } {
  const rows = readFileSync(sharedPath("data", "medical-reasoning-test93.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return {
    ...MEDICAL_REASONING_SPLIT,
    features: stringFeatures(["instruction", "input", "output"]),
    rows,
    source: "shared",
  };
}

/** The three handwritten rows of fixtures/hf/medical-reasoning-rows.json (a /rows reply body). */
export function fixtureMedicalReasoningDataset(): HfStandinDataset & { source: "fixture" } {
  const body = JSON.parse(readFileSync(HF_FIXTURE_PATH, "utf8")) as HfRowsResponse;
  return { ...MEDICAL_REASONING_SPLIT, features: body.features, rows: body.rows.map((r) => r.row), source: "fixture" };
}

/** The reply body for one page, as the real server builds it. */
export function rowsResponse(ds: HfStandinDataset, offset: number, length: number): HfRowsResponse {
  return {
    features: ds.features,
    rows: ds.rows.slice(offset, offset + length).map((row, i) => ({
      row_idx: offset + i,
      row,
      truncated_cells: ds.truncatedRows?.get(offset + i) ?? [],
    })),
    num_rows_total: ds.rows.length,
    num_rows_per_page: MAX_LENGTH,
    partial: false,
  };
}

export async function startHfStandin(opts: { datasets?: HfStandinDataset[]; port?: number } = {}): Promise<HfStandin> {
  const datasets = opts.datasets ?? [medicalReasoningDataset()];
  const requests: HfStandinRequest[] = [];
  const faults = new FaultSwitch<HfFault>({ kind: "none" });

  const handle = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const params = Object.fromEntries(url.searchParams);
    requests.push({ path: url.pathname, params });

    const f = faults.take();
    if (f.kind !== "none") {
      if (f.kind === "dropConnection") return void req.socket.destroy();
      if (f.kind === "rateLimited")
        return sendJson(
          res,
          429,
          { error: "Too Many Requests" },
          f.retryAfter !== undefined ? { "retry-after": f.retryAfter } : {},
        );
      return sendJson(res, f.status, { error: f.error });
    }

    if (req.method !== "GET" || url.pathname !== "/rows") return sendJson(res, 404, { error: "Not Found" });
    const { dataset, config, split } = params;
    if (!dataset || !config || !split)
      return sendJson(res, 422, { error: "Parameters 'dataset', 'config' and 'split' are required" });
    const offset = Number(params.offset ?? "0");
    const length = Number(params.length ?? String(MAX_LENGTH));
    if (!Number.isInteger(offset) || offset < 0)
      return sendJson(res, 422, { error: "Parameter 'offset' must be positive" });
    if (!Number.isInteger(length) || length < 0)
      return sendJson(res, 422, { error: "Parameter 'length' must be positive" });
    if (length > MAX_LENGTH)
      return sendJson(res, 422, { error: `Parameter 'length' must not be greater than ${MAX_LENGTH}` });
    const named = datasets.filter((d) => d.dataset === dataset);
    if (named.length === 0) return sendJson(res, 404, { error: NOT_FOUND });
    const ds = named.find((d) => d.config === config && d.split === split);
    if (!ds) return sendJson(res, 404, { error: "Not found." });
    sendJson(res, 200, rowsResponse(ds, offset, length));
  };
  const server = await StandinServer.start(handle, { port: opts.port });

  return {
    url: server.url,
    port: server.port,
    requests,
    setFault(f, o = {}) {
      faults.set(f, o.times);
    },
    reset() {
      requests.length = 0;
      faults.reset();
    },
    stop: () => server.stop(),
  };
}
