import { readFileSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { rejection } from "@/test-support/async";
import { medicalReasoningDataset, MEDICAL_REASONING, startHfStandin, type HfStandin } from "@/test-support/hf-standin";
import { hasShared, sharedPath } from "@/test-support/shared-data";
import { fetchHfDataset, HfDatasetError } from "./huggingface";
import { importDataset } from "./import";

const data = medicalReasoningDataset();
const N = data.rows.length;
let standin: HfStandin;

beforeAll(async () => {
  standin = await startHfStandin({
    datasets: [
      data,
      // A second dataset whose row 1 the server reports as truncated.
      {
        ...data,
        dataset: "someone/huge-cells",
        rows: data.rows.slice(0, 2),
        truncatedRows: new Map([[1, ["output"]]]),
      },
    ],
  });
});
afterAll(() => standin.stop());
beforeEach(() => standin.reset());

const caught = (p: Promise<unknown>) => rejection<HfDatasetError>(p);

describe("fetchHfDataset", () => {
  it(`fetches every row (${data.source} data) as JSONL that imports without rejections`, async () => {
    const jsonl = await fetchHfDataset(MEDICAL_REASONING, { baseUrl: standin.url });
    const result = importDataset(jsonl);
    expect(result.format).toBe("medical-reasoning");
    expect(result.rejected).toEqual([]);
    expect(result.items).toHaveLength(N);
    expect(standin.requests).toEqual([
      {
        path: "/rows",
        params: { dataset: MEDICAL_REASONING, config: "default", split: "train", offset: "0", length: "100" },
      },
    ]);
  });

  it("pages through the split with offset/length and reports progress", async () => {
    const progress: [number, number][] = [];
    const jsonl = await fetchHfDataset(MEDICAL_REASONING, {
      baseUrl: standin.url,
      pageSize: 2,
      onProgress: (d, t) => progress.push([d, t]),
    });
    const pages = Math.ceil(N / 2);
    expect(standin.requests).toHaveLength(pages);
    expect(standin.requests.map((r) => [r.params.offset, r.params.length])).toEqual(
      Array.from({ length: pages }, (_, i) => [String(i * 2), "2"]),
    );
    expect(progress.at(-1)).toEqual([N, N]);
    expect(jsonl.trimEnd().split("\n")).toHaveLength(N);
  });

  it.skipIf(!hasShared)("fetches the 93 shared rows in 3 pages of 40, row for row as in the file", async () => {
    const jsonl = await fetchHfDataset(MEDICAL_REASONING, { baseUrl: standin.url, pageSize: 40 });
    expect(standin.requests.map((r) => [r.params.offset, r.params.length])).toEqual([
      ["0", "40"],
      ["40", "40"],
      ["80", "40"],
    ]);
    const file = readFileSync(sharedPath("data", "medical-reasoning-test93.jsonl"), "utf8");
    expect(
      jsonl
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual(
      file
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l) as unknown),
    );
    const items = importDataset(jsonl).items;
    expect(items).toHaveLength(93);
    expect(items).toEqual(importDataset(file).items);
  });

  it("stops at `limit` without asking for more rows than it needs", async () => {
    const jsonl = await fetchHfDataset(MEDICAL_REASONING, { baseUrl: standin.url, pageSize: 2, limit: 3 });
    expect(jsonl.trimEnd().split("\n")).toHaveLength(Math.min(3, N));
    expect(standin.requests.map((r) => r.params.length)).toEqual(["2", "1"]);
  });

  it("caps pageSize at the server's maximum of 100", async () => {
    await fetchHfDataset(MEDICAL_REASONING, { baseUrl: standin.url, pageSize: 500 });
    expect(standin.requests[0]!.params.length).toBe("100");
  });

  it("says clearly when the dataset does not exist", async () => {
    const err = await caught(fetchHfDataset("nobody/no-such-dataset", { baseUrl: standin.url }));
    expect(err).toBeInstanceOf(HfDatasetError);
    expect(err.status).toBe(404);
    expect(err.message).toMatch(
      /Hugging Face dataset "nobody\/no-such-dataset" \(config "default", split "train"\) was not found, or it is private or gated \(HTTP 404: The dataset does not exist/,
    );
    expect(err.message).toMatch(/download the dataset as JSONL and upload it instead/);
    const badSplit = await caught(fetchHfDataset(MEDICAL_REASONING, { baseUrl: standin.url, split: "validation" }));
    expect(badSplit.message).toMatch(/split "validation"\) was not found/);
  });

  it("rejects a malformed dataset name before any request", async () => {
    const err = await caught(fetchHfDataset("not a name", { baseUrl: standin.url }));
    expect(err.message).toMatch(/not a Hugging Face dataset name/);
    expect(standin.requests).toEqual([]);
    await fetchHfDataset(`https://huggingface.co/datasets/${MEDICAL_REASONING}`, { baseUrl: standin.url, limit: 1 });
    expect(standin.requests[0]!.params.dataset).toBe(MEDICAL_REASONING);
  });

  it("waits out a 429 with retry-after and then succeeds", async () => {
    standin.setFault({ kind: "rateLimited", retryAfter: "1" }, { times: 1 });
    const started = Date.now();
    const jsonl = await fetchHfDataset(MEDICAL_REASONING, { baseUrl: standin.url });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(standin.requests).toHaveLength(2);
    expect(importDataset(jsonl).items).toHaveLength(N);
  });

  it("gives up at once when retry-after is longer than the cap, saying how long the server asked to wait", async () => {
    standin.setFault({ kind: "rateLimited", retryAfter: "3600" });
    const started = Date.now();
    const err = await caught(fetchHfDataset(MEDICAL_REASONING, { baseUrl: standin.url }));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(err.status).toBe(429);
    expect(err.message).toMatch(/rate-limiting requests \(HTTP 429\) and asks to wait 3600 s; try again later/);
    expect(standin.requests).toHaveLength(1);
  });

  it("retries a 429 only a bounded number of times", async () => {
    standin.setFault({ kind: "rateLimited", retryAfter: "0" });
    const err = await caught(fetchHfDataset(MEDICAL_REASONING, { baseUrl: standin.url, maxRetries: 2 }));
    expect(err.message).toMatch(/still rate-limiting requests \(HTTP 429\) after 3 attempts/);
    expect(standin.requests).toHaveLength(3);
  });

  it("retries a 503 and reports other server errors with the server's message", async () => {
    standin.setFault({ kind: "status", status: 503, error: "busy" }, { times: 1 });
    await fetchHfDataset(MEDICAL_REASONING, { baseUrl: standin.url, maxRetryWaitMs: 10 });
    expect(standin.requests).toHaveLength(2);
    standin.reset();
    standin.setFault({ kind: "status", status: 500, error: "The response is not ready yet." });
    const err = await caught(fetchHfDataset(MEDICAL_REASONING, { baseUrl: standin.url }));
    expect(err.message).toMatch(/failed \(HTTP 500: The response is not ready yet\.\) after 1 attempt;/);
  });

  it("suggests downloading the JSONL when the server cannot be reached", async () => {
    const down = await startHfStandin();
    const url = down.url;
    await down.stop();
    const err = await caught(fetchHfDataset(MEDICAL_REASONING, { baseUrl: url }));
    expect(err).toBeInstanceOf(HfDatasetError);
    expect(err.status).toBeNull();
    expect(err.message).toMatch(
      /could not reach the Hugging Face datasets server at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/,
    );
    expect(err.message).toMatch(/no internet access\? download the JSONL and upload it instead/i);
  });

  it("treats a dropped connection the same way", async () => {
    standin.setFault({ kind: "dropConnection" });
    const err = await caught(fetchHfDataset(MEDICAL_REASONING, { baseUrl: standin.url }));
    expect(err.message).toMatch(/no internet access\? download the JSONL/i);
  });

  it("refuses rows whose cells the server truncated instead of importing cut-off text", async () => {
    const err = await caught(fetchHfDataset("someone/huge-cells", { baseUrl: standin.url }));
    expect(err.message).toMatch(/row 1 came back with truncated cells \(output\)/);
  });

  it("stops when the caller aborts, including during a retry wait", async () => {
    standin.setFault({ kind: "rateLimited", retryAfter: "20" });
    const controller = new AbortController();
    const pending = fetchHfDataset(MEDICAL_REASONING, { baseUrl: standin.url, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const err = await caught(pending);
    expect((err as Error).name).toBe("AbortError");
  });

  it("an abort during a retry wait rejects at once with the caller's own reason", async () => {
    standin.setFault({ kind: "rateLimited", retryAfter: "20" });
    const controller = new AbortController();
    const reason = new Error("the upload page was closed");
    const started = Date.now();
    const pending = fetchHfDataset(MEDICAL_REASONING, {
      baseUrl: standin.url,
      signal: controller.signal,
      maxRetryWaitMs: 60_000,
    });
    await new Promise((r) => setTimeout(r, 100)); // the first 429 has arrived: waiting 20 s
    expect(standin.requests).toHaveLength(1);
    controller.abort(reason);
    expect(await caught(pending)).toBe(reason);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("uses an injected fetch and explains a reply that is not the /rows shape", async () => {
    const fetchImpl = (async () => new Response("<html>proxy login</html>", { status: 200 })) as typeof fetch;
    const err = await caught(fetchHfDataset(MEDICAL_REASONING, { fetchImpl }));
    expect(err.message).toMatch(/unexpected reply from the datasets server .*not JSON/);
  });
});
