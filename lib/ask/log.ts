import "server-only";
import type { AppConfig } from "@/lib/config";
import type { AskRequest } from "@/lib/schemas/ask";

/** One line per ask. Case text is patient data: it is logged only when MEDGPT_LOG_CASE_TEXT is on. */
export function logAsk(config: AppConfig, req: AskRequest, outcome: { status: string; ms: number }): void {
  const fields: Record<string, unknown> = {
    model: req.model ?? config.defaultModel,
    stream: req.stream,
    caseChars: req.case.length,
    options: Object.keys(req.options).length,
    outcome: outcome.status,
    ms: Math.round(outcome.ms),
  };
  if (config.logCaseText) fields.case = req.case;
  console.info(`[medgpt] ask ${JSON.stringify(fields)}`);
}
