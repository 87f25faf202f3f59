import { describe, expect, it } from "vitest";
import { disagreements, type ReaderCase } from "@/test-support/reader-agreement";
import { AskEventSchemas, ErrorEnvelopeSchema } from "./ask";
import { ErrorEnvelopeReader } from "./read";
import { AskEventReaders, HealthResponseReader, ModelsResponseReader } from "./read-ask";
import { HealthResponseSchema, ModelsResponseSchema } from "./service";

// The clinician page's zod-free readers against their zod schemas (see test-support/reader-agreement.ts).

const TIMINGS = { firstTokenMs: 120, totalMs: 2400, evalCount: 80, tokensPerSecond: 33.3 };
const ANSWER = {
  letter: "B",
  text: "Autoimmune beta-cell destruction",
  confidence: 0.91,
  probabilities: { A: 0.05, B: 0.91, C: 0.04 },
  analysis: "Polyuria and ketonuria in a teenager.",
  formatOk: true,
};
const NO_LETTER = { letter: null, text: null, confidence: null, probabilities: null, analysis: "", formatOk: false };
const ERROR_BODY = {
  code: "invalid_request",
  message: "bad",
  fix: "Correct the fields",
  issues: [
    { path: ["options", "C"], message: "must not be empty" },
    { path: [0], message: "x" },
  ],
};
const HEALTH = {
  status: "unavailable",
  backend: { name: "embedded", reachable: false, version: null, detail: "no model" },
  defaultModel: { name: "mrizwank97/medgpt", present: null },
  mode: "auto",
  pull: { model: "mrizwank97/medgpt", status: "downloading", receivedBytes: 10, totalBytes: 100, error: null },
  fix: "Wait for the download.",
};
const MODELS = {
  backend: "ollama",
  defaultModel: "mrizwank97/medgpt",
  models: [
    {
      name: "mrizwank97/medgpt:latest",
      sizeBytes: 1_700_000_000,
      family: "gemma2",
      parameterSize: "2.6B",
      quantization: "Q4_K_M",
      label: "MedGPT",
      description: "Fine-tuned",
      comparison: false,
    },
    {
      name: "gemma2:2b",
      sizeBytes: null,
      family: null,
      parameterSize: null,
      quantization: null,
      label: null,
      description: null,
      comparison: true,
    },
  ],
};

const CASES: ReaderCase[] = [
  { name: "token event", reader: AskEventReaders.token, schema: AskEventSchemas.token, samples: [{ text: "Hi" }] },
  {
    name: "answer event",
    reader: AskEventReaders.answer,
    schema: AskEventSchemas.answer,
    samples: [ANSWER, NO_LETTER],
  },
  {
    name: "done event",
    reader: AskEventReaders.done,
    schema: AskEventSchemas.done,
    samples: [{ model: "m", backend: "ollama", timings: TIMINGS }],
  },
  {
    name: "error event",
    reader: AskEventReaders.error,
    schema: AskEventSchemas.error,
    samples: [ERROR_BODY, { code: "network_error", message: "m" }],
  },
  {
    name: "error envelope",
    reader: ErrorEnvelopeReader,
    schema: ErrorEnvelopeSchema,
    samples: [{ error: ERROR_BODY }],
  },
  {
    name: "health",
    reader: HealthResponseReader,
    schema: HealthResponseSchema,
    samples: [HEALTH, { ...HEALTH, status: "ok", pull: null, fix: null }],
  },
  {
    name: "models",
    reader: ModelsResponseReader,
    schema: ModelsResponseSchema,
    samples: [MODELS, { ...MODELS, models: [] }],
  },
];

// Where reader and schema knowingly differ: the backend mode is only displayed, so its reader takes any string.
const KNOWN_DIFFERENCES = new Set(["health mode.(root) = x", "health mode.(root) = "]);

describe("the browser's zod-free readers", () => {
  for (const c of CASES) {
    it(`${c.name}: accepts what its schema accepts, with the same data`, () => {
      for (const sample of c.samples) {
        expect(c.schema.safeParse(sample).success).toBe(true);
        const read = c.reader.safeParse(sample);
        expect(read.success).toBe(true);
        if (read.success) expect(read.data).toEqual(c.schema.parse(sample));
      }
    });

    it(`${c.name}: rejects exactly what its schema rejects, field by field`, () => {
      const { found, rejected } = disagreements(c, KNOWN_DIFFERENCES);
      expect(found).toEqual([]);
      expect(rejected).toBeGreaterThan(10);
    });
  }

  it("parse throws with the path of the first problem; safeParse reports it", () => {
    expect(() => AskEventReaders.answer.parse({ ...ANSWER, letter: 7 })).toThrow(/letter/);
    const read = HealthResponseReader.safeParse({ ...HEALTH, backend: { ...HEALTH.backend, reachable: "yes" } });
    expect(read.success).toBe(false);
    if (!read.success) expect(read.error.issues[0]?.path).toEqual(["backend", "reachable"]);
  });
});
