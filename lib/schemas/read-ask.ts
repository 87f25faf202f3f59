import type { BackendMode } from "@/lib/inference/modes";
import type { Answer, AskEventSchemas, DoneEventSchema, Timings } from "./ask";
import { LETTERS } from "./letters";
import {
  array,
  between,
  boolean,
  errorBodyShape,
  integer,
  nullable,
  number,
  object,
  oneOf,
  partialRecord,
  reader,
  string,
  type Reader,
  type Shape,
} from "./read";
import type { HealthResponse, ModelsResponse } from "./service";
import type { z } from "zod";

/**
 * The clinician page's zod-free readers (read.ts says why): the ask stream's events (lib/ask/client.ts), /api/health
 * and /api/models, and the pieces of the history kept in the browser. Each is typed by its zod schema's type.
 */

const timings: Shape<Timings> = object({
  firstTokenMs: nullable(number),
  totalMs: number,
  evalCount: nullable(integer),
  tokensPerSecond: nullable(number),
});

export const answerShape: Shape<Answer> = object({
  letter: nullable(oneOf(LETTERS)),
  text: nullable(string),
  confidence: nullable(between(0, 1)),
  probabilities: nullable(partialRecord(LETTERS, between(0, 1))),
  analysis: string,
  formatOk: boolean,
});

export const doneEventShape: Shape<z.infer<typeof DoneEventSchema>> = object({
  model: string,
  backend: string,
  timings,
});

type AskEventTypes = { [K in keyof typeof AskEventSchemas]: z.infer<(typeof AskEventSchemas)[K]> };

/** The ask stream's events by name, as lib/ask/client.ts reads them. */
export const AskEventReaders: { [K in keyof AskEventTypes]: Reader<AskEventTypes[K]> } = {
  token: reader("The token event", object({ text: string })),
  answer: reader("The answer event", answerShape),
  done: reader("The done event", doneEventShape),
  error: reader("The error event", errorBodyShape),
};

// The backend mode is only shown, so any string passes; the list of modes is lib/inference/modes.ts's.
const backendMode = string as Shape<BackendMode>;

export const HealthResponseReader: Reader<HealthResponse> = reader(
  "The health answer",
  object({
    status: oneOf(["ok", "degraded", "unavailable"]),
    backend: object({ name: string, reachable: boolean, version: nullable(string), detail: nullable(string) }),
    defaultModel: object({ name: string, present: nullable(boolean) }),
    mode: backendMode,
    pull: nullable(
      object({
        model: nullable(string),
        status: oneOf(["idle", "downloading", "verifying", "done", "failed"]),
        receivedBytes: number,
        totalBytes: nullable(number),
        error: nullable(string),
      }),
    ),
    fix: nullable(string),
  }),
);

export const ModelsResponseReader: Reader<ModelsResponse> = reader(
  "The model list",
  object({
    backend: string,
    defaultModel: string,
    models: array(
      object({
        name: string,
        sizeBytes: nullable(number),
        family: nullable(string),
        parameterSize: nullable(string),
        quantization: nullable(string),
        label: nullable(string),
        description: nullable(string),
        comparison: boolean,
      }),
    ),
  }),
);
