import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { DatasetViewSchema, ImportResponseSchema } from "@/eval/api/schemas";
import { ctx, expectError } from "@/test-support/api";
import { ADMIN_TOKEN, AUTH, stubAdminEnv } from "@/test-support/api-client";
import { MEDICAL_REASONING, medicalReasoningDataset, startHfStandin, type HfStandin } from "@/test-support/hf-standin";
import { MR_INSTRUCTION, mrRow } from "@/test-support/mr-dataset";
import { GET, POST } from "./route";

/**
 * GET/POST /api/datasets through the real route, importer and database (a temp file); the Hugging Face datasets
 * server is the HF stand-in.
 */

let tmp: string;
let hf: HfStandin;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "medgpt-datasets-"));
  hf = await startHfStandin();
  stubAdminEnv({
    ADMIN_TOKEN,
    MEDGPT_DB_PATH: path.join(tmp, "medgpt.db"),
    MEDGPT_HF_DATASETS_URL: hf.url,
    OLLAMA_HOST: "http://127.0.0.1:9", // never contacted
  });
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await hf.stop();
  rmSync(tmp, { recursive: true, force: true });
});
beforeEach(() => hf.reset());

// ---------------------------------------------------------------------------------------------------------------
// A small medical-reasoning file, written for these tests in the shape of mamachang/medical-reasoning.

const REASONING = "The findings point to one option.";

const ROW_1 = mrRow(
  "A 30-year-old woman has a dry cough, erythema nodosum and bilateral hilar lymphadenopathy. Which is the most likely diagnosis?",
  { A: "Asthma", B: "Sarcoidosis", C: "Tuberculosis", D: "GERD" },
  "B",
  REASONING,
);
const ROW_2 = mrRow(
  "A 6-year-old boy has a sore throat, fever and a sandpaper-like rash. Which organism is most likely?",
  { A: "Streptococcus pyogenes", B: "Staphylococcus aureus", C: "Measles virus" },
  "A",
  REASONING,
);
/** No <answer> block: rejected. */
const ROW_BROKEN = JSON.stringify({
  instruction: MR_INSTRUCTION,
  input: "Q:A 50-year-old man has crushing chest pain. Which is the next step?? \n{'A': 'ECG', 'B': 'Discharge'},",
  output: "<analysis>\nEvery chest pain needs an ECG.\n</analysis>",
});
const ROW_4 = mrRow(
  "A 70-year-old woman has sudden painless loss of vision in one eye with a cherry-red spot. Which is the most likely cause?",
  { A: "Central retinal artery occlusion", B: "Retinal detachment", C: "Glaucoma", D: "Cataract", E: "Migraine" },
  "A",
  REASONING,
);
const SMALL = [ROW_1, ROW_2, ROW_BROKEN, ROW_4].join("\n") + "\n";

// ---------------------------------------------------------------------------------------------------------------

const noParams = ctx({});

function upload(text: string, filename: string, fields: Record<string, string> = {}) {
  const form = new FormData();
  form.append("file", new File([text], filename, { type: "application/x-ndjson" }));
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  return POST(new Request("http://localhost/api/datasets", { method: "POST", headers: AUTH, body: form }), noParams);
}

function postJson(body: unknown) {
  return POST(
    new Request("http://localhost/api/datasets", {
      method: "POST",
      headers: { ...AUTH, "content-type": "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
    noParams,
  );
}

async function list() {
  const res = await GET(new Request("http://localhost/api/datasets", { headers: AUTH }), noParams);
  expect(res.status).toBe(200);
  return z.object({ datasets: DatasetViewSchema.array() }).parse(await res.json()).datasets;
}

describe("POST /api/datasets, multipart upload", () => {
  it("lets other requests' timers run while a large upload is being read, before anything is stored (F6)", async () => {
    // 20,000 rows that are all rejected: the answer is a 422 after reading alone, so every tick counted below ran
    // while the upload was read and parsed. The body is all in memory, as an upload on a fast link is: reading it
    // never waits for I/O, so without pauses not one timer would run until the parse was done.
    const rows = Array.from({ length: 20_000 }, (_, i) =>
      JSON.stringify({ question: `Case ${i}: which?`, options: { A: "a", B: "b" }, answer_idx: "Q" }),
    ).join("\n");
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 0);
    const res = await upload(rows, "all-bad.jsonl");
    clearInterval(timer);
    expect(res.status).toBe(422);
    expect(ticks).toBeGreaterThan(0);
  });

  let firstId = "";

  it("imports the usable rows (201) and reports the broken one with its line number and reason", async () => {
    const res = await upload(SMALL, "mini-cases.jsonl");
    expect(res.status).toBe(201);
    const body = ImportResponseSchema.parse(await res.json());
    expect(body.existing).toBe(false);
    expect(body.accepted).toBe(3);
    expect(body.rejected).toHaveLength(1);
    expect(body.rejected[0]!.line).toBe(3);
    expect(body.rejected[0]!.reason).toMatch(/<answer>/);
    expect(body.dataset).toMatchObject({
      name: "mini-cases", // the file name without its extension when no name is given
      format: "medical-reasoning",
      source: "mini-cases.jsonl",
      itemCount: 3,
      rejectedCount: 1,
    });
    expect(body.dataset.id).toMatch(/\S/);
    expect(Number.isNaN(Date.parse(body.dataset.createdAt))).toBe(false);
    firstId = body.dataset.id;

    const all = await list();
    expect(all.filter((d) => d.id === firstId)).toHaveLength(1);
  });

  it("the same file again → 200 existing: true, and GET /api/datasets lists it once", async () => {
    const before = await list();
    const res = await upload(SMALL, "mini-cases.jsonl");
    expect(res.status).toBe(200);
    const body = ImportResponseSchema.parse(await res.json());
    expect(body).toMatchObject({ existing: true, accepted: 3, dataset: { id: firstId, itemCount: 3 } });
    expect(body.rejected.map((r) => r.line)).toEqual([3]);
    const after = await list();
    expect(after).toHaveLength(before.length);
    expect(after.filter((d) => d.id === firstId)).toHaveLength(1);
  });

  it("the same content saved with CRLF line endings under another name is recognised too", async () => {
    const res = await upload(SMALL.replace(/\n/g, "\r\n"), "copy-from-windows.jsonl", { name: "windows copy" });
    expect(res.status).toBe(200);
    expect(ImportResponseSchema.parse(await res.json())).toMatchObject({ existing: true, dataset: { id: firstId } });
  });

  it("uses the form's name field when given", async () => {
    const res = await upload([ROW_2, ROW_1].join("\n"), "whatever.jsonl", { name: "  Two cases  " });
    expect(res.status).toBe(201);
    expect(ImportResponseSchema.parse(await res.json())).toMatchObject({
      existing: false,
      accepted: 2,
      rejected: [],
      dataset: { name: "Two cases" },
    });
  });

  it("a file where every row is broken → 422 invalid_dataset with issues naming each line", async () => {
    const text = [ROW_BROKEN, "{not json", ROW_BROKEN.replace("Q:A 50", "Q:A 51")].join("\n");
    const before = await list();
    const error = await expectError(await upload(text, "all-bad.jsonl"), 422, "invalid_dataset");
    expect(error.message).toMatch(/all 3 rows were rejected/);
    expect(error.issues?.map((i) => i.path)).toEqual([["line 1"], ["line 2"], ["line 3"]]);
    expect(error.issues?.[0]?.message).toMatch(/<answer>/);
    expect(error.issues?.[1]?.message).toMatch(/invalid JSON/);
    expect(await list()).toHaveLength(before.length);
  });

  it("an unknown format → 422 with a message listing the accepted formats", async () => {
    const error = await expectError(
      await upload('{"text": "hello", "label": 1}\n', "imdb.jsonl"),
      422,
      "invalid_dataset",
    );
    expect(error.message).toMatch(/not a recognised dataset/);
    expect(error.message).toMatch(/Accepted formats/);
    expect(error.message).toMatch(/medical-reasoning/);
    expect(error.message).toMatch(/MedQA/);
    expect(error.message).toMatch(/MCQ CSV/);
    // Plain prose is not a dataset either.
    const prose = await expectError(await upload("some notes about medicine\n", "notes.txt"), 422, "invalid_dataset");
    expect(prose.message).toMatch(/Accepted formats/);
  });

  it("an empty file → 422 naming the file", async () => {
    const error = await expectError(await upload("\n\n", "empty.jsonl"), 422, "invalid_dataset");
    expect(error.message).toMatch(/empty\.jsonl/);
  });

  it("a form without a file field → 400", async () => {
    const form = new FormData();
    form.append("name", "no file");
    const res = await POST(
      new Request("http://localhost/api/datasets", { method: "POST", headers: AUTH, body: form }),
      noParams,
    );
    const error = await expectError(res, 400, "invalid_request");
    expect(error.message).toMatch(/`file`/);
  });

  it("also imports MedQA JSONL and MCQ CSV uploads", async () => {
    const medqa = [
      JSON.stringify({
        question: "Which vitamin deficiency causes scurvy?",
        options: { A: "Vitamin A", B: "Vitamin C", C: "Vitamin D" },
        answer_idx: "B",
      }),
      JSON.stringify({
        question: "Which organ makes insulin?",
        options: { A: "Liver", B: "Pancreas" },
        answer_idx: "B",
      }),
    ].join("\n");
    const a = await upload(medqa, "medqa.jsonl");
    expect(a.status).toBe(201);
    expect(ImportResponseSchema.parse(await a.json())).toMatchObject({ accepted: 2, dataset: { format: "medqa" } });

    const csv =
      'question,opa,opb,opc,opd,answer_idx\n"Which nerve, when damaged, causes wrist drop?",Radial,Ulnar,Median,Axillary,A\n';
    const b = await upload(csv, "mcq.csv");
    expect(b.status).toBe(201);
    expect(ImportResponseSchema.parse(await b.json())).toMatchObject({
      accepted: 1,
      rejected: [],
      dataset: { format: "mcq-csv" },
    });
  });
});

describe("POST /api/datasets, JSON", () => {
  it("{text, name} imports the text (201), with no file as its source", async () => {
    const res = await postJson({ text: [ROW_4, ROW_1, ROW_2].join("\n"), name: "pasted cases" });
    expect(res.status).toBe(201);
    const body = ImportResponseSchema.parse(await res.json());
    expect(body).toMatchObject({
      existing: false,
      accepted: 3,
      rejected: [],
      dataset: { name: "pasted cases", format: "medical-reasoning", itemCount: 3 },
    });
    expect(body.dataset.source).toBeNull();
    expect((await list()).some((d) => d.id === body.dataset.id)).toBe(true);
  });

  it("{huggingface: {dataset}} loads the rows from the datasets server (201), then recognises them (200)", async () => {
    const expectedRows = medicalReasoningDataset().rows.length;
    const res = await postJson({ huggingface: { dataset: MEDICAL_REASONING } });
    expect(res.status).toBe(201);
    const body = ImportResponseSchema.parse(await res.json());
    expect(body.existing).toBe(false);
    expect(body.accepted).toBeGreaterThan(0);
    expect(body.accepted + body.rejected.length).toBe(expectedRows);
    expect(body.dataset).toMatchObject({
      name: MEDICAL_REASONING,
      source: `hf:${MEDICAL_REASONING}`,
      format: "medical-reasoning",
    });
    expect(hf.requests.length).toBeGreaterThan(0);
    expect(hf.requests[0]).toMatchObject({
      path: "/rows",
      params: { dataset: MEDICAL_REASONING, config: "default", split: "train", offset: "0" },
    });

    const again = await postJson({ huggingface: { dataset: MEDICAL_REASONING }, name: "second time" });
    expect(again.status).toBe(200);
    expect(ImportResponseSchema.parse(await again.json())).toMatchObject({
      existing: true,
      dataset: { id: body.dataset.id },
    });
  });

  it("{huggingface: {dataset, limit}} takes only the first rows", async () => {
    const res = await postJson({ huggingface: { dataset: MEDICAL_REASONING, limit: 2 }, name: "first two" });
    expect(res.status).toBe(201);
    const body = ImportResponseSchema.parse(await res.json());
    expect(body.accepted + body.rejected.length).toBe(2);
    expect(body.dataset.name).toBe("first two");
    expect(hf.requests.every((r) => Number(r.params.length) <= 2)).toBe(true);
  });

  it("an unknown Hugging Face dataset → 404 with the offline fallback as the fix", async () => {
    const error = await expectError(
      await postJson({ huggingface: { dataset: "nobody/no-such-dataset" } }),
      404,
      "not_found",
    );
    expect(error.message).toMatch(/nobody\/no-such-dataset/);
    expect(error.fix).toMatch(/upload/i);
  });

  it("a dataset name Hugging Face refuses (HTTP 400/422) → 400 invalid_request, not 503", async () => {
    for (const status of [400, 422]) {
      hf.setFault({ kind: "status", status, error: "The dataset name is invalid." });
      const error = await expectError(
        await postJson({ huggingface: { dataset: "x/--bad--" } }),
        400,
        "invalid_request",
      );
      expect(error.message).toMatch(new RegExp(`HTTP ${status}`));
    }
  });

  it("a failing datasets server → 503 upstream_unavailable, not a 500", async () => {
    hf.setFault({ kind: "status", status: 500, error: "internal" });
    const error = await expectError(
      await postJson({ huggingface: { dataset: MEDICAL_REASONING } }),
      503,
      "upstream_unavailable",
    );
    expect(error.message).toMatch(/HTTP 500/);
  });

  it("bad JSON bodies → 400 invalid_request with issues", async () => {
    for (const body of [
      {},
      { text: ROW_1, huggingface: { dataset: MEDICAL_REASONING } },
      { text: "" },
      { text: ROW_1, colour: "red" },
      { huggingface: { dataset: "not a dataset name" } },
    ]) {
      const error = await expectError(await postJson(body), 400, "invalid_request");
      expect(error.issues?.length ?? 0, JSON.stringify(body)).toBeGreaterThan(0);
    }
  });
});

it("POST /api/datasets with malformed JSON → 400 invalid_json naming the JSON error", async () => {
  const error = await expectError(await postJson("{broken json"), 400, "invalid_json");
  expect(error.message).toMatch(/JSON/);
});

describe("POST /api/datasets, other content types", () => {
  it("→ 415 unsupported_media_type", async () => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "text/csv"]) {
      const res = await POST(
        new Request("http://localhost/api/datasets", {
          method: "POST",
          headers: { ...AUTH, "content-type": type },
          body: ROW_1,
        }),
        noParams,
      );
      await expectError(res, 415, "unsupported_media_type");
    }
    const none = await POST(
      new Request("http://localhost/api/datasets", { method: "POST", headers: AUTH, body: new Uint8Array([1, 2, 3]) }),
      noParams,
    );
    await expectError(none, 415, "unsupported_media_type");
  });
});

it("POST /api/datasets with raw JSONL as application/x-ndjson → 415 (not a confusing 400)", async () => {
  const res = await POST(
    new Request("http://localhost/api/datasets", {
      method: "POST",
      headers: { ...AUTH, "content-type": "application/x-ndjson" },
      body: [ROW_1, ROW_2].join("\n"),
    }),
    noParams,
  );
  await expectError(res, 415, "unsupported_media_type");
});

// ---------------------------------------------------------------------------------------------------------------
// Chunked uploads: no Content-Length, so the 50 MB cap must hold while the body is read, not only on the header.

const LIMIT = 50 * 1024 * 1024;
const CHUNK = 1024 * 1024;

/** A body of `prefix`, then filler bytes up to `total` bytes in all, produced on demand; `pulled` counts what was read. */
function chunkedBody(total: number, prefix = new Uint8Array(0)) {
  const counter = { pulled: 0, cancelled: false };
  const filler = new Uint8Array(CHUNK).fill(0x61);
  function* pieces(): Generator<Uint8Array> {
    let left = total;
    if (prefix.byteLength) {
      yield prefix;
      left -= prefix.byteLength;
    }
    while (left > 0) {
      const n = Math.min(CHUNK, left);
      yield n === CHUNK ? filler : filler.subarray(0, n);
      left -= n;
    }
  }
  const it = pieces();
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = it.next();
      if (next.done) return controller.close();
      counter.pulled += next.value.byteLength;
      controller.enqueue(next.value.slice());
    },
    cancel() {
      counter.cancelled = true;
    },
  });
  return { stream, counter };
}

function postStream(stream: ReadableStream<Uint8Array>, contentType: string) {
  const init = {
    method: "POST",
    headers: { ...AUTH, "content-type": contentType },
    body: stream,
    duplex: "half",
  } as RequestInit;
  const request = new Request("http://localhost/api/datasets", init);
  expect(request.headers.get("content-length")).toBeNull();
  return POST(request, noParams);
}

describe("POST /api/datasets, chunked uploads without Content-Length", () => {
  it("a multipart upload within the limit is imported", async () => {
    const form = new FormData();
    form.append(
      "file",
      new File([SMALL.replace("dry cough", "dry, chunked cough")], "chunked.jsonl", { type: "application/x-ndjson" }),
    );
    const encoded = new Response(form);
    const type = encoded.headers.get("content-type")!;
    const bytes = new Uint8Array(await encoded.arrayBuffer());
    const { stream } = chunkedBody(bytes.byteLength, bytes);
    const res = await postStream(stream, type);
    expect(res.status).toBe(201);
    expect(ImportResponseSchema.parse(await res.json())).toMatchObject({ accepted: 3, dataset: { name: "chunked" } });
  });

  it("a JSON body within the limit is imported", async () => {
    const bytes = new TextEncoder().encode(
      JSON.stringify({ text: SMALL.replace("sore throat", "sore, chunked throat"), name: "chunked-json" }),
    );
    const { stream } = chunkedBody(bytes.byteLength, bytes);
    const res = await postStream(stream, "application/json");
    expect(res.status).toBe(201);
    expect(ImportResponseSchema.parse(await res.json())).toMatchObject({
      accepted: 3,
      dataset: { name: "chunked-json" },
    });
  });

  it("a multipart upload of 50 MB + 1 byte → 413 payload_too_large", async () => {
    const boundary = "----medgpt-chunked-test";
    const head = new TextEncoder().encode(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="huge.jsonl"\r\nContent-Type: application/x-ndjson\r\n\r\n`,
    );
    const { stream } = chunkedBody(LIMIT + 1, head);
    const error = await expectError(
      await postStream(stream, `multipart/form-data; boundary=${boundary}`),
      413,
      "payload_too_large",
    );
    expect(error.message).toMatch(/50 MB/);
    expect(error.fix).toMatch(/Split the file/);
  });

  it("a JSON body over the limit → 413, and the rest of the body is not read", async () => {
    const { stream, counter } = chunkedBody(LIMIT + 20 * CHUNK, new TextEncoder().encode('{"text": "'));
    await expectError(await postStream(stream, "application/json"), 413, "payload_too_large");
    expect(counter.cancelled).toBe(true);
    expect(counter.pulled).toBeLessThanOrEqual(LIMIT + 2 * CHUNK);
  });
});
