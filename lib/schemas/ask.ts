import { z } from "zod";
import { ERROR_CODES } from "@/lib/error-codes";
import { CASE_MAX_CHARS } from "./limits";
import { ModelNameSchema } from "./model-name";
import { LETTERS, OptionsSchema } from "./options";

/**
 * Body of POST /api/ask. Shared by the route, the OpenAPI document and the tests; the clinician form checks the same
 * limits (limits.ts) in its own words and relies on this schema through the server's 400 invalid_request, so the
 * browser never loads zod (README, "The clinician page's JavaScript").
 */
export const AskRequestSchema = z
  .strictObject({
    case: z
      .string({ error: "case must be a string" })
      .trim()
      .min(1, { error: "case must not be empty" })
      .max(CASE_MAX_CHARS, { error: `case must be at most ${CASE_MAX_CHARS} characters` })
      .describe("The clinical case / question stem."),
    options: OptionsSchema,
    model: ModelNameSchema.optional().describe("Model name; defaults to the server's MEDGPT_MODEL."),
    stream: z.boolean().default(true).describe("true: text/event-stream; false: one JSON response."),
    seed: z
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .optional(),
    temperature: z.number().min(0).max(2).optional(),
    maxTokens: z.int().min(1).max(4096).optional().describe("Upper bound on generated tokens (default 1024)."),
  })
  .meta({ id: "AskRequest" });
export type AskRequest = z.infer<typeof AskRequestSchema>;
/** What the form holds before defaults are applied. */
export type AskRequestInput = z.input<typeof AskRequestSchema>;

export const LetterSchema = z.enum(LETTERS);

export const TimingsSchema = z
  .object({
    firstTokenMs: z.number().nullable().describe("Milliseconds from request to first token."),
    totalMs: z.number(),
    evalCount: z.int().nullable().describe("Tokens generated, as reported by the backend."),
    tokensPerSecond: z.number().nullable(),
  })
  .meta({ id: "Timings" });
export type Timings = z.infer<typeof TimingsSchema>;

/**
 * Per-option probabilities: one entry per offered letter, summing to 1. Read from the log-probabilities of the token
 * where the model wrote its answer letter, keeping the alternatives that are an offered letter and renormalising over
 * them (lib/answer/confidence.ts has the rule).
 */
export const ProbabilitiesSchema = z
  .partialRecord(LetterSchema, z.number().min(0).max(1))
  .meta({ id: "Probabilities", description: "Offered letter → probability; the values sum to 1." });
export type Probabilities = z.infer<typeof ProbabilitiesSchema>;

/** The model's answer: the same object in JSON mode (`answer`) and in the stream (the `answer` event's data). */
export const AnswerSchema = z
  .object({
    letter: LetterSchema.nullable().describe("The chosen option; null when the reply names no offered option."),
    text: z.string().nullable().describe("That option's text, from the question; null with letter."),
    confidence: z
      .number()
      .min(0)
      .max(1)
      .nullable()
      .describe("The probability of `letter`; null when there is no letter or the backend gave no log-probabilities."),
    probabilities: ProbabilitiesSchema.nullable().describe(
      "One entry per offered letter, summing to 1; null when the backend gave no log-probabilities (the answer is still served).",
    ),
    analysis: z.string().describe("The reasoning, tags stripped."),
    formatOk: z.boolean().describe("Both <analysis> and <answer> blocks were present."),
  })
  .meta({
    id: "Answer",
    examples: [
      {
        letter: "B",
        text: "Autoimmune beta-cell destruction",
        confidence: 0.912,
        probabilities: { A: 0.041, B: 0.912, C: 0.029, D: 0.018 },
        analysis: "Polyuria, polydipsia and ketonuria in a teenager point to type 1 diabetes.",
        formatOk: true,
      },
    ],
  });
export type Answer = z.infer<typeof AnswerSchema>;

export const AskResponseSchema = z
  .object({
    answer: AnswerSchema,
    analysis: z.string().describe("Same as answer.analysis (kept for integrators of the first version)."),
    raw: z.string().describe("The model's reply, unmodified."),
    formatOk: z.boolean().describe("Same as answer.formatOk."),
    model: z.string(),
    backend: z.string(),
    timings: TimingsSchema,
  })
  .meta({ id: "AskResponse" });
export type AskResponse = z.infer<typeof AskResponseSchema>;

/** Server-sent events of a streaming ask, in order: token*, answer, done — or error at any point. */
export const TokenEventSchema = z.object({ text: z.string() }).meta({ id: "TokenEvent" });
/** The `answer` event's data is the Answer object itself. */
export const AnswerEventSchema = AnswerSchema;
export const DoneEventSchema = z
  .object({ model: z.string(), backend: z.string(), timings: TimingsSchema })
  .meta({ id: "DoneEvent" });

export const ErrorBodySchema = z
  .object({
    code: z
      .enum(ERROR_CODES)
      .describe("Stable error code, e.g. upstream_unavailable (see the error table in the docs)."),
    message: z.string(),
    fix: z.string().optional().describe("What the user can do about it."),
    issues: z.array(z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() })).optional(),
  })
  .meta({ id: "ErrorDetail" });
export type ErrorBody = z.infer<typeof ErrorBodySchema>;
export const ErrorEnvelopeSchema = z.object({ error: ErrorBodySchema }).meta({ id: "Error" });

export const AskEventSchemas = {
  token: TokenEventSchema,
  answer: AnswerEventSchema,
  done: DoneEventSchema,
  error: ErrorBodySchema,
} as const;
export type AskEvent = {
  [K in keyof typeof AskEventSchemas]: { event: K; data: z.infer<(typeof AskEventSchemas)[K]> };
}[keyof typeof AskEventSchemas];
