"use client";

import { useEffect, useRef, type ReactNode, type Ref } from "react";
import { confidenceBand, BAND_WORDS, type ConfidenceThresholds } from "@/lib/confidence";
import type { AskRequestInput, ErrorBody, Timings } from "@/lib/schemas/ask";
import { LETTERS, type Letter } from "@/lib/schemas/letters";
import { Button } from "@/components/ui/button";
import { FocusCard } from "@/components/ui/focus-card";
import { AdminDetails, DetailRow, WithCode } from "./admin-details";
import { AnswerCard } from "./answer-card";
import { clinicianMessage } from "./error-words";
import { formatDuration } from "./format";
import { modelTitle, type ModelInfo } from "./model-picker";
import { streamingReasoning } from "./reasoning-text";
import { ReasoningPanel } from "./reasoning-panel";
import { isBusy, type AskState } from "./use-ask-stream";

/** What the status line announces: milestones only, never the streamed text. */
export function statusText(state: AskState, thresholds: ConfidenceThresholds): string {
  const { phase, answer, error } = state;
  if (isBusy(phase)) return "Answering…";
  if (phase === "error" && error) return `MedGPT could not answer. ${clinicianMessage(error)}`;
  if (answer?.letter) {
    if (answer.confidence === null) return `Answered: ${answer.letter}`;
    const words = BAND_WORDS[confidenceBand(answer.confidence, thresholds)];
    return `Answered: ${answer.letter}, ${words.charAt(0).toLowerCase()}${words.slice(1)}`;
  }
  if (answer) return "Answered, but the model did not choose one of the options.";
  if (phase === "stopped") return "Stopped: the answer is incomplete.";
  return "";
}

/**
 * Model, time and (when there were enough to mean something) tokens. A reply of a handful of tokens makes a
 * tokens-per-second figure nonsense ("1 tokens · 1000 tok/s"), so speed is shown from 20 tokens on.
 */
export function TimingsLine({ model, timings }: { model: ModelInfo; timings: Timings }) {
  const parts = [
    `${modelTitle(model)}${model.label && model.label !== model.name ? ` (${model.name})` : ""}`,
    `answered in ${formatDuration(timings.totalMs)}`,
    timings.evalCount !== null && timings.evalCount >= 20 && timings.tokensPerSecond !== null
      ? `${timings.evalCount} tokens, ${Math.round(timings.tokensPerSecond)} tok/s`
      : null,
  ].filter(Boolean);
  return (
    <p data-testid="timings" className="text-xs text-slate-600">
      {parts.join(" · ")}
    </p>
  );
}

function Spinner() {
  return (
    <span
      aria-hidden
      className="inline-block size-4 shrink-0 animate-spin rounded-full border-2 border-slate-300 border-t-brand-600 motion-reduce:animate-none"
    />
  );
}

const cardBase = "rounded-lg border p-4 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600/40 sm:p-5";

// Per outcome: test id, heading id, colours, heading.
const OUTCOME_CARDS = {
  error: ["error-panel", "error-title", "border-red-300 bg-red-50 text-red-950", "MedGPT could not answer"],
  "no-option": [
    "no-option",
    "no-option-title",
    "border-amber-400 bg-amber-50 text-amber-950",
    "The model did not choose one of the options.",
  ],
  stopped: [
    "stopped",
    "stopped-title",
    "border-slate-400 bg-slate-100 text-slate-900",
    "Stopped: the answer is incomplete.",
  ],
} as const;

/** The card that replaces the answer when there is none: an error, no option chosen, or a stopped request. */
function OutcomeCard({
  kind,
  cardRef,
  children,
}: {
  kind: keyof typeof OUTCOME_CARDS;
  cardRef: Ref<HTMLElement>;
  children: ReactNode;
}) {
  const [testId, titleId, tone, title] = OUTCOME_CARDS[kind];
  return (
    <FocusCard cardRef={cardRef} testId={testId} titleId={titleId} className={`${cardBase} ${tone}`}>
      <h3 id={titleId} className="font-semibold">
        {title}
      </h3>
      {children}
    </FocusCard>
  );
}

function ErrorCard({ error, onRetry, cardRef }: { error: ErrorBody; onRetry: () => void; cardRef: Ref<HTMLElement> }) {
  return (
    <OutcomeCard kind="error" cardRef={cardRef}>
      <p className="mt-1 text-sm" data-testid="error-message">
        {clinicianMessage(error)}
      </p>
      <Button variant="primary" className="mt-3" onClick={onRetry}>
        Retry
      </Button>
      <AdminDetails testId="error-admin-details">
        <DetailRow term="Error code">
          <code className="font-mono">{error.code}</code>
        </DetailRow>
        <DetailRow term="Request">POST /api/ask</DetailRow>
        <DetailRow term="Server message">
          <WithCode text={error.message} />
        </DetailRow>
        {error.fix ? (
          <DetailRow term="How to fix">
            <WithCode text={error.fix} />
          </DetailRow>
        ) : null}
        {error.issues?.length ? (
          <DetailRow term="Fields">
            <ul className="list-disc pl-5">
              {error.issues.map((i) => (
                <li key={`${i.path.join(".")}:${i.message}`}>
                  <code className="font-mono">{i.path.join(".") || "body"}</code>: {i.message}
                </li>
              ))}
            </ul>
          </DetailRow>
        ) : null}
      </AdminDetails>
    </OutcomeCard>
  );
}

/**
 * The answer side of the page, in reading order: the outcome first (the answer card, or an honest card for no
 * valid option, a stop or an error), then the reasoning, then the model and time. A status line announces each
 * milestone to screen readers; `focusRequest` moves the focus to the outcome when the caller says it is final.
 */
export function ResultPanel({
  state,
  question,
  model,
  askedAt,
  thresholds,
  focusRequest,
  onStop,
  onRetry,
}: {
  state: AskState;
  question: AskRequestInput | null;
  model: ModelInfo | null;
  askedAt: number;
  thresholds: ConfidenceThresholds;
  focusRequest: number;
  onStop: () => void;
  onRetry: () => void;
}) {
  const outcome = useRef<HTMLElement>(null);
  useEffect(() => {
    if (focusRequest > 0) outcome.current?.focus();
  }, [focusRequest]);

  const { phase, raw, answer, done, error } = state;
  const busy = isBusy(phase);
  const reasoning = answer ? answer.analysis : streamingReasoning(raw);
  const letters: Letter[] = question ? LETTERS.filter((l) => question.options[l] !== undefined) : [];

  let card: ReactNode = null;
  if (phase === "idle" || !question || !model) {
    card = (
      <div data-testid="answer-placeholder" className={`${cardBase} border-dashed border-slate-300 bg-white text-sm`}>
        <p className="font-medium">The answer will appear here.</p>
        <p className="mt-1 text-slate-700">
          MedGPT reasons through the case, picks one option and says how sure it was. Read its reasoning before you rely
          on it.
        </p>
      </div>
    );
  } else if (busy) {
    card = (
      <div data-testid="answering" className={`${cardBase} border-slate-300 bg-white`}>
        <div className="flex items-start gap-3">
          <Spinner />
          <div className="min-w-0 flex-1 text-sm">
            <p className="font-medium">
              {phase === "waiting" ? "Waiting for the model to start…" : "The model is reasoning…"}
            </p>
            <p className="mt-1 text-slate-700">
              {phase === "waiting"
                ? "The first words usually arrive within seconds; after a restart it can take a minute."
                : "Its answer appears here when it has finished."}
            </p>
          </div>
        </div>
        <Button className="mt-3" onClick={onStop}>
          Stop
        </Button>
      </div>
    );
  } else if (answer?.letter) {
    card = (
      <AnswerCard
        answer={{ ...answer, letter: answer.letter }}
        question={question}
        model={model}
        askedAt={askedAt}
        thresholds={thresholds}
        cardRef={outcome}
      />
    );
  } else if (answer) {
    card = (
      <OutcomeCard kind="no-option" cardRef={outcome}>
        <p className="mt-1 text-sm">
          Its reply does not clearly name one of {letters.join(", ")}, so there is no answer to show. Do not read an
          answer into its reasoning. Asking again may give a different reply.
        </p>
        <details className="mt-3 text-sm" data-testid="raw-reply">
          <summary className="cursor-pointer font-medium underline underline-offset-2 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600/40">
            Show the model&apos;s reply as written
          </summary>
          <div className="mt-2 max-h-96 overflow-y-auto whitespace-pre-wrap break-words rounded-md border border-amber-200 bg-white p-3 text-slate-900">
            {raw.trim() || "(The reply was empty.)"}
          </div>
        </details>
        <Button className="mt-3" onClick={onRetry}>
          Ask again
        </Button>
      </OutcomeCard>
    );
  } else if (phase === "stopped") {
    card = (
      <OutcomeCard kind="stopped" cardRef={outcome}>
        <p className="mt-1 text-sm">
          The model was stopped before it chose an option. What it wrote so far is below; do not rely on it.
        </p>
        <Button className="mt-3" onClick={onRetry}>
          Ask again
        </Button>
      </OutcomeCard>
    );
  } else if (phase === "error" && error) {
    card = <ErrorCard error={error} onRetry={onRetry} cardRef={outcome} />;
  }

  const showReasoning = question !== null && (busy || reasoning !== "");
  return (
    <div className="space-y-4">
      <p role="status" className="sr-only" data-testid="ask-status">
        {statusText(state, thresholds)}
      </p>
      {card}
      {showReasoning ? (
        <ReasoningPanel
          key={askedAt}
          text={reasoning}
          writing={busy}
          note={phase === "stopped" || phase === "error" ? "incomplete" : undefined}
        />
      ) : null}
      {done && model ? <TimingsLine model={model} timings={done.timings} /> : null}
    </div>
  );
}
