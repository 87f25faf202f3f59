import type { Letter, Options } from "@/lib/schemas/options";
import type { DatasetFormat } from "@/eval/datasets/formats";
import type { JudgeSpec } from "@/eval/runner/run-config";

export type { DatasetFormat, JudgeSpec };

/** One validated question, whatever format it came from. */
export type DatasetItem = {
  /** 1-based line (JSONL) or record number (CSV, header = line 1) in the source file. */
  sourceLine: number;
  caseText: string;
  options: Options;
  referenceLetter: Letter;
  /** Reference reasoning when the source has one (medical-reasoning `<analysis>`, CSV `explanation`). */
  referenceReasoning: string | null;
};

export type RejectedRow = { line: number; reason: string };

export type ImportResult = { format: DatasetFormat; items: DatasetItem[]; rejected: RejectedRow[] };

/** What the judge sees for one answer. */
export type JudgeInput = {
  caseText: string;
  options: Options;
  referenceLetter: Letter;
  referenceReasoning: string | null;
  /** The model's raw reply. */
  modelOutput: string;
};

/** A judge's verdict. An unreadable verdict is kept as `unparseable` with its raw text, never given a score. */
export type JudgeVerdict =
  | { status: "scored"; score: number; explanation: string; raw: string; attempts: number }
  | { status: "unparseable"; raw: string; attempts: number; error: string };

export interface Judge {
  readonly spec: JudgeSpec;
  /** `${provider}:${model}` */
  readonly id: string;
  /**
   * Grades one answer. Retries rate limits and 5xx itself (capped backoff). Throws JudgeError when it gives up,
   * and AbortError when `signal` aborts.
   */
  judge(input: JudgeInput, signal: AbortSignal): Promise<JudgeVerdict>;
}

export class JudgeError extends Error {
  override name = "JudgeError";
  constructor(
    message: string,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
