import "server-only";
import type { z } from "zod";
import type { AppConfig } from "@/lib/config";
import { ERROR_TABLE, type ErrorCode } from "@/lib/errors";
import { log } from "@/lib/observability/log";
import { recordAsk } from "@/lib/observability/metrics";
import type { AskRequest, DoneEventSchema } from "@/lib/schemas/ask";

/** The `done` event of an answer: model, the backend that served it, and its timings. */
export type AskDone = z.infer<typeof DoneEventSchema>;

export type AskOutcome = {
  /** ok, aborted, or the error code. */
  status: string;
  /** From the request's arrival to its end (for a stream: the stream's end). */
  ms: number;
  /** Set when the answer completed. */
  done?: AskDone | null;
  /** The backend chosen for the request; absent when it was refused before one was. */
  backend?: string;
};

/**
 * One line and the metrics for each ask, however it ended. The case text and the options are in the line; the
 * logger's redaction removes them unless MEDGPT_LOG_CASE_TEXT is on (lib/observability/log.ts).
 * `req` is null for a request refused before its body was read (rate limit, bad JSON).
 */
export function logAsk(config: AppConfig, req: AskRequest | null, outcome: AskOutcome): void {
  const done = outcome.done ?? null;
  const backend = done?.backend ?? outcome.backend ?? "none";
  recordAsk(outcome.status, backend, done?.timings);
  const serverFault = outcome.status in ERROR_TABLE && ERROR_TABLE[outcome.status as ErrorCode].status >= 500;
  log()[serverFault ? "warn" : "info"](
    {
      event: "ask",
      outcome: outcome.status,
      ms: Math.round(outcome.ms),
      backend,
      ...(req && {
        model: req.model ?? config.defaultModel,
        stream: req.stream,
        caseChars: req.case.length,
        optionCount: Object.keys(req.options).length,
        case: req.case,
        options: req.options,
      }),
      ...(done && { timings: done.timings }),
    },
    "ask",
  );
}
