import type { AskRequestInput } from "@/lib/schemas/ask";
import { LETTERS, type Letter } from "@/lib/schemas/letters";
import { Button } from "@/components/ui/button";
import { formatTime } from "./format";
import { modelTitle, type ModelInfo } from "./model-picker";
import { TitledCard } from "./titled-card";

/**
 * The question exactly as it was asked, read-only, beside its answer. Editing goes through "Edit and ask again",
 * which clears the answer first: an answer never sits next to a question it was not given.
 */
export function QuestionCard({
  question,
  model,
  askedAt,
  chosen,
  onEdit,
  onNew,
}: {
  question: AskRequestInput;
  model: ModelInfo;
  askedAt: number;
  chosen: Letter | null;
  onEdit: () => void;
  onNew: () => void;
}) {
  const letters = LETTERS.filter((l) => question.options[l] !== undefined);
  const time = <p className="text-xs text-slate-600">{formatTime(askedAt)}</p>;
  return (
    <TitledCard
      titleId="question-card-title"
      testId="question-card"
      title="Question asked"
      aside={time}
      align="baseline"
    >
      <p className="mt-2 whitespace-pre-wrap break-words text-[0.9375rem] leading-relaxed" data-testid="asked-case">
        {question.case.trim()}
      </p>
      <ol className="mt-3 space-y-1.5" aria-label="Options">
        {letters.map((l) => {
          const isChosen = chosen === l;
          return (
            <li
              key={l}
              data-testid={`option-${l}`}
              data-chosen={isChosen || undefined}
              className={`flex items-start gap-2 rounded-md px-2 py-1.5 text-sm ${
                isChosen ? "bg-slate-100 ring-2 ring-slate-700" : ""
              }`}
            >
              <span className="w-5 shrink-0 font-semibold">{l}.</span>
              <span className="min-w-0 flex-1 break-words">{question.options[l]}</span>
              {isChosen ? (
                <span className="shrink-0 rounded bg-slate-700 px-2 py-0.5 text-xs font-semibold text-white">
                  Model&apos;s answer
                </span>
              ) : null}
            </li>
          );
        })}
      </ol>
      <p className="mt-3 text-xs text-slate-600">
        Model: {modelTitle(model)}
        {model.comparison ? " (untuned comparison model)" : ""}
      </p>
      <div className="mt-4 flex flex-wrap gap-2">
        <Button onClick={onEdit}>Edit and ask again</Button>
        <Button variant="ghost" onClick={onNew}>
          New question
        </Button>
      </div>
    </TitledCard>
  );
}
