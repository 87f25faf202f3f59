import { readFileSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fetchHfDataset } from "@/eval/datasets/huggingface";
import { importDataset } from "@/eval/datasets/import";
import {
  fixtureMedicalReasoningDataset,
  HF_FIXTURE_PATH,
  MEDICAL_REASONING,
  sharedMedicalReasoningDataset,
  startHfStandin,
  type HfRowsResponse,
  type HfStandin,
} from "./hf-standin";
import { hasShared } from "./shared-data";

let standin: HfStandin;
beforeAll(async () => {
  standin = await startHfStandin({ datasets: [fixtureMedicalReasoningDataset()] });
});
afterAll(() => standin.stop());
beforeEach(() => standin.reset());

const get = async (query: string) => {
  const res = await fetch(`${standin.url}/rows?${query}`);
  return {
    status: res.status,
    type: res.headers.get("content-type"),
    body: (await res.json()) as Record<string, unknown>,
  };
};
const page = (offset: number, length: number) =>
  get(
    new URLSearchParams({
      dataset: MEDICAL_REASONING,
      config: "default",
      split: "train",
      offset: String(offset),
      length: String(length),
    }).toString(),
  );

describe("the handwritten fixture", () => {
  it("is a /rows reply body in the real shape, with medical-reasoning rows", () => {
    const body = JSON.parse(readFileSync(HF_FIXTURE_PATH, "utf8")) as HfRowsResponse;
    expect(Object.keys(body)).toEqual(["features", "rows", "num_rows_total", "num_rows_per_page", "partial"]);
    expect(body.features.map((f) => [f.feature_idx, f.name, f.type])).toEqual([
      [0, "instruction", { dtype: "string", _type: "Value" }],
      [1, "input", { dtype: "string", _type: "Value" }],
      [2, "output", { dtype: "string", _type: "Value" }],
    ]);
    expect(body.rows.map((r) => [r.row_idx, Object.keys(r.row), r.truncated_cells])).toEqual(
      body.rows.map((_, i) => [i, ["instruction", "input", "output"], []]),
    );
    expect(body.num_rows_total).toBe(body.rows.length);
  });

  it("imports cleanly, including its double-quoted option", () => {
    const jsonl = fixtureMedicalReasoningDataset()
      .rows.map((r) => JSON.stringify(r))
      .join("\n");
    const result = importDataset(jsonl);
    expect(result.rejected).toEqual([]);
    expect(result.items.map((i) => i.referenceLetter)).toEqual(["C", "A", "C"]);
    expect(result.items[1]!.options.A).toBe("Hodgkin's lymphoma");
  });
});

describe("startHfStandin", () => {
  it("serves pages like the real server: absolute row_idx, num_rows_per_page always 100", async () => {
    const res = await page(1, 2);
    expect(res.status).toBe(200);
    expect(res.type).toBe("application/json");
    const body = res.body as unknown as HfRowsResponse;
    expect(body.rows.map((r) => r.row_idx)).toEqual([1, 2]);
    expect(body).toMatchObject({ num_rows_total: 3, num_rows_per_page: 100, partial: false });
    expect((await page(3, 10)).body.rows).toEqual([]);
  });

  it("answers bad requests with JSON errors", async () => {
    expect(await page(0, 101)).toMatchObject({
      status: 422,
      body: { error: "Parameter 'length' must not be greater than 100" },
    });
    expect(await get("dataset=x")).toMatchObject({ status: 422 });
    const missing = await get("dataset=a/b&config=default&split=train");
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatch(/^The dataset does not exist, or is not accessible without authentication/);
    expect(standin.requests.map((r) => r.params.dataset)).toEqual([MEDICAL_REASONING, "x", "a/b"]);
  });

  it("applies a fault to the next N requests only", async () => {
    standin.setFault({ kind: "rateLimited", retryAfter: "7" }, { times: 2 });
    const first = await fetch(`${standin.url}/rows`);
    expect([first.status, first.headers.get("retry-after")]).toEqual([429, "7"]);
    expect((await page(0, 1)).status).toBe(429);
    expect((await page(0, 1)).status).toBe(200);
  });

  it.skipIf(!hasShared)("serves the shared 93 rows through the loader", async () => {
    const shared = await startHfStandin({ datasets: [sharedMedicalReasoningDataset()] });
    try {
      const jsonl = await fetchHfDataset(MEDICAL_REASONING, { baseUrl: shared.url });
      expect(importDataset(jsonl).items).toHaveLength(93);
    } finally {
      await shared.stop();
    }
  });
});
