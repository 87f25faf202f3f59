import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CreateRunRequestSchema, ResultsQuerySchema, type RunView } from "@/eval/api/schemas";
import { DatasetFormatError, DatasetImportError, importDataset } from "@/eval/datasets/import";
import { AskRequestSchema } from "@/lib/schemas/ask";
import { LETTERS } from "@/lib/schemas/options";
import {
  createRun,
  importDataset as upload,
  results,
  runToEnd,
  startRunServer,
  type RunServer,
} from "@/test-support/api-client";
import { mrRow } from "@/test-support/mr-dataset";
import { POST as ask } from "./ask/route";

/**
 * Properties over generated inputs (fast-check, 1,000 cases each): whatever arrives, the server never answers 5xx,
 * and nothing invalid is accepted. Inputs mix well-formed values with wrong types, missing and unknown fields.
 */

const RUNS = 1000;
let server: RunServer;
let run: RunView;

beforeAll(async () => {
  server = await startRunServer("medgpt-props-");
  const rows = [0, 1, 2].map((i) => mrRow(`Case ${i}: which?`, { A: "a", B: "b", C: "c" }, "B", "r", "x"));
  const datasetId = (await upload(rows.join("\n"), "props")).dataset.id;
  run = await runToEnd({ datasetId, models: ["mrizwank97/medgpt"] });
  vi.spyOn(console, "info").mockImplementation(() => {}); // one log line per ask
});
afterAll(() => server.stop());

const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constant(""),
  fc.constant("  "),
  fc.string({ minLength: 20001, maxLength: 20010 }),
);
const junk = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.double(),
  fc.array(fc.string(), { maxLength: 3 }),
);
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(fc.oneof(a as fc.Arbitrary<unknown>, junk), { nil: undefined });
const options = fc.dictionary(fc.constantFrom(...LETTERS, "F", "a", "1"), fc.oneof(text, junk), { maxKeys: 6 });

const askBody = fc.record(
  {
    case: maybe(text),
    options: maybe(options),
    model: maybe(fc.constantFrom("mrizwank97/medgpt", "gemma2:2b", "no such model!", "")),
    stream: maybe(fc.constant(false)),
    seed: maybe(fc.integer({ min: -5, max: 2 ** 32 })),
    temperature: maybe(fc.double({ min: -1, max: 3, noNaN: true })),
    maxTokens: maybe(fc.integer({ min: -1, max: 5000 })),
    colour: maybe(fc.string()),
  },
  { requiredKeys: [] },
);

describe("properties (1,000 generated cases each)", () => {
  it("POST /api/ask: never 5xx; 200 only for a body the schema accepts", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(askBody, fc.anything()), async (body) => {
        const res = await ask(
          new Request("http://localhost/api/ask", {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(body) ?? "null",
          }),
        );
        await res.text();
        expect(res.status).toBeLessThan(500);
        if (res.status === 200) expect(AskRequestSchema.safeParse(body).success).toBe(true);
        else if (res.status === 400) expect(AskRequestSchema.safeParse(body).success).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });

  it("POST /api/runs: never 5xx; queued only when the schema accepts the body", async () => {
    const runBody = fc.record(
      {
        datasetId: maybe(fc.constantFrom(run.datasetId, "ds_nope", "")),
        models: maybe(fc.array(fc.constantFrom("mrizwank97/medgpt", "no such model!", ""), { maxLength: 5 })),
        limit: maybe(fc.integer({ min: -1, max: 3 })),
        sample: maybe(fc.integer({ min: -1, max: 3 })),
        seed: maybe(fc.integer({ min: -1, max: 2 ** 31 })),
        judge: maybe(fc.constantFrom("none", "groq:x", "nonsense", "ollama:", "")),
        temperature: maybe(fc.double({ min: -1, max: 3, noNaN: true })),
        samples: maybe(fc.integer({ min: 0, max: 25 })),
        concurrency: maybe(fc.integer({ min: 0, max: 20 })),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(runBody, fc.anything()), async (body) => {
        const res = await createRun(body);
        await res.text();
        expect(res.status).toBeLessThan(500);
        if (res.status === 202) expect(CreateRunRequestSchema.safeParse(body).success).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it("dataset files in each format: read, or refused with a reason; every accepted item is a valid question", () => {
    const field = fc.oneof(text, junk);
    const mrLine = fc.record({ instruction: field, input: field, output: field }, { requiredKeys: [] });
    const medqaLine = fc.record(
      { question: field, options: fc.oneof(options, junk), answer_idx: field },
      { requiredKeys: [] },
    );
    const jsonl = fc
      .array(fc.oneof(mrLine, medqaLine, fc.anything()), { minLength: 1, maxLength: 6 })
      .map((rows) => rows.map((r) => JSON.stringify(r) ?? "x").join("\n"));
    const csv = fc
      .array(
        fc.array(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom("A", "2", '"q,uoted"')), { maxLength: 8 }),
        { maxLength: 6 },
      )
      .map((rows) => ["question,opa,opb,opc,opd,cop", ...rows.map((r) => r.join(","))].join("\n"));
    fc.assert(
      fc.property(fc.oneof(jsonl, csv, fc.string()), (file) => {
        let result;
        try {
          result = importDataset(file, { filename: "generated" });
        } catch (err) {
          // The importer's own refusals become 422; anything else would be a 500.
          expect(err instanceof DatasetFormatError || err instanceof DatasetImportError).toBe(true);
          return;
        }
        for (const item of result.items) {
          expect(item.caseText.trim()).not.toBe("");
          expect(Object.keys(item.options).length).toBeGreaterThanOrEqual(2);
          expect(item.options[item.referenceLetter]).toBeDefined();
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("GET /api/runs/{id}/results query strings: never 5xx; 200 only for a query the schema accepts", async () => {
    const key = fc.constantFrom("page", "pageSize", "filter", "model", "q", "x");
    const value = fc.oneof(
      fc.string({ maxLength: 8 }),
      fc.integer({ min: -3, max: 300 }).map(String),
      fc.constantFrom("wrong", "all", "mrizwank97/medgpt"),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(key, value), { maxLength: 5 }), async (pairs) => {
        const query = new URLSearchParams(pairs);
        const res = await results(run.id, query.toString());
        await res.text();
        expect(res.status).toBeLessThan(500);
        const parsed = ResultsQuerySchema.safeParse(Object.fromEntries(query));
        if (res.status === 200) expect(parsed.success).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});
