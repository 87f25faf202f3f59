import type { ResultsPage } from "@/eval/api/schemas";

type Answer = Pick<ResultsPage["rows"][number]["answers"][number], "status" | "letter" | "exact" | "error">;

/** A model that has not answered a question yet: progress, not a failure. */
export const isNotRunYet = (a: Pick<Answer, "status">) => a.status === "pending";

/** A model's letter: green when correct, red when wrong (or no letter), grey when the generation failed. */
export function LetterBadge({ answer, size = "sm" }: { answer: Answer; size?: "sm" | "lg" }) {
  const box = `inline-flex items-center justify-center rounded px-1 ${size === "lg" ? "h-8 min-w-8 text-base" : "h-6 min-w-6 text-xs"}`;
  if (isNotRunYet(answer)) {
    return (
      <span
        title="not answered yet"
        data-verdict="pending"
        className={`${box} border border-dashed border-slate-300 text-slate-400`}
      >
        …<span className="sr-only"> (not answered yet)</span>
      </span>
    );
  }
  if (answer.status === "error") {
    return (
      <span
        title={answer.error ?? "error"}
        data-verdict="error"
        className={`${box} bg-slate-200 font-semibold text-slate-600`}
      >
        {answer.letter ?? "err"}
        <span className="sr-only"> (error{answer.error ? `: ${answer.error}` : ""})</span>
      </span>
    );
  }
  const right = answer.exact === true;
  return (
    <span
      data-verdict={right ? "correct" : "wrong"}
      className={`${box} font-semibold text-white ${right ? "bg-emerald-700" : "bg-red-600"}`}
    >
      {answer.letter ?? "—"}
      <span className="sr-only"> ({right ? "correct" : answer.letter ? "wrong" : "no option named"})</span>
    </span>
  );
}
