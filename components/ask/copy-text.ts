import type { ConfidenceThresholds } from "@/lib/confidence";
import type { Answer, AskRequestInput } from "@/lib/schemas/ask";
import { LETTERS } from "@/lib/schemas/letters";
import { bandWords, formatTime, percent } from "./format";

/** The question and its answer as plain text, for pasting into a note or a message to a colleague. */
export function answerAsText({
  question,
  answer,
  modelName,
  askedAt,
  thresholds,
}: {
  question: AskRequestInput;
  answer: Answer;
  modelName: string;
  askedAt: number;
  thresholds: ConfidenceThresholds;
}): string {
  const options = LETTERS.flatMap((l) => (question.options[l] !== undefined ? [`${l}. ${question.options[l]}`] : []));
  const chosen = answer.letter ? `${answer.letter}. ${answer.text ?? question.options[answer.letter] ?? ""}` : null;
  const lines = [
    "MedGPT answer (decision support for professionals; it can be wrong)",
    `Asked: ${formatTime(askedAt)}`,
    `Model: ${modelName}`,
    "",
    "Case:",
    question.case.trim(),
    "",
    "Options:",
    ...options,
    "",
    `Answer: ${chosen ?? "none: the model did not choose one of the options"}`,
  ];
  if (chosen) {
    lines.push(
      answer.confidence !== null
        ? `Confidence: ${bandWords(answer.confidence, thresholds)} (${percent(answer.confidence)})`
        : "Confidence: not available from this model server",
    );
    const probs = answer.probabilities;
    if (probs) {
      const each = LETTERS.flatMap((l) => (probs[l] !== undefined ? [`${l} ${percent(probs[l])}`] : []));
      lines.push(`Probabilities: ${each.join(", ")}`);
    }
  }
  return lines.join("\n");
}

/**
 * Copies text; true when it worked. The Clipboard API exists only on secure pages (https or localhost): a hospital
 * intranet served over plain http falls back to the older copy command.
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the fallback
  }
  const focused = document.activeElement as HTMLElement | null;
  try {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand?.("copy") ?? false;
    area.remove();
    return ok;
  } catch {
    return false;
  } finally {
    focused?.focus?.();
  }
}
