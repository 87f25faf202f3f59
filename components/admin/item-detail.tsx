"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Badge } from "@/components/ui/badge";
import { ErrorPanel } from "@/components/ui/error-panel";
import { ItemDetailSchema, type ItemDetail } from "@/eval/api/schemas";
import { apiJson, errorBodyOf } from "./api";
import { modelColor, ms } from "./format";
import { isNotRunYet, LetterBadge } from "./letter-badge";
import { useRun } from "./use-run";

type Answer = ItemDetail["answers"][number];

const notRunYet = (a: Answer) => isNotRunYet(a);

function Verdict({ a }: { a: Answer }) {
  if (notRunYet(a)) return <span className="text-slate-600">not answered yet</span>;
  if (a.status === "error") return <span className="text-slate-600">generation failed</span>;
  if (a.exact) return <span className="font-semibold text-emerald-700">✓ exact match</span>;
  return <span className="font-semibold text-red-700">✗ wrong{a.letter === null ? " (no option named)" : ""}</span>;
}

function Judge({ a, hasJudge }: { a: Answer; hasJudge: boolean | undefined }) {
  if (a.judgeStatus === "scored") {
    return (
      <div className="rounded-md border border-slate-200 bg-slate-50 p-3 text-sm">
        <p className="font-semibold">
          Judge score: <span data-testid="judge-score">{a.judgeScore}/5</span>
        </p>
        {a.judgeExplanation ? <p className="mt-1 whitespace-pre-wrap text-slate-700">{a.judgeExplanation}</p> : null}
      </div>
    );
  }
  if (a.judgeStatus === "unparseable") {
    return (
      <div className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
        <p className="font-semibold">
          The judge&apos;s verdict could not be read{a.judgeError ? `: ${a.judgeError}` : ""}
        </p>
        {a.judgeRaw ? (
          <details className="mt-1">
            <summary className="cursor-pointer">Raw judge reply</summary>
            <pre className="mt-1 whitespace-pre-wrap font-mono text-xs">{a.judgeRaw}</pre>
          </details>
        ) : null}
      </div>
    );
  }
  if (a.judgeStatus === "error") {
    return (
      <div className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900">
        <p className="font-semibold">The judge failed{a.judgeError ? `: ${a.judgeError}` : "."}</p>
      </div>
    );
  }
  if (hasJudge === false) return <p className="text-sm text-slate-500">No judge was used for this run.</p>;
  return <p className="text-sm text-slate-500">Not judged{a.status === "ok" ? " yet" : ""}.</p>;
}

function AnswerCard({ a, index, hasJudge }: { a: Answer; index: number; hasJudge: boolean | undefined }) {
  return (
    <article
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4"
      data-testid="model-answer"
      data-model={a.model}
    >
      <header className="flex flex-wrap items-center gap-3">
        <h3 className="flex items-center gap-2 font-mono text-sm font-semibold">
          <span
            aria-hidden
            className="inline-block h-2.5 w-2.5 rounded-full"
            style={{ background: modelColor(index) }}
          />
          {a.model}
        </h3>
        <span className="flex items-center gap-2 text-sm">
          Answer: <LetterBadge answer={a} size="lg" />
        </span>
        <Verdict a={a} />
      </header>
      <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm sm:grid-cols-4">
        <div>
          <dt className="text-xs uppercase tracking-wide text-slate-500">Format</dt>
          <dd>{a.formatOk === null ? "—" : a.formatOk ? "ok" : "not followed"}</dd>
        </div>
        <div>
          <dt className="text-xs uppercase tracking-wide text-slate-500">Latency</dt>
          <dd className="tabular-nums">{ms(a.latencyMs)}</dd>
        </div>
        <div>
          <dt className="text-xs uppercase tracking-wide text-slate-500">Attempts</dt>
          <dd className="tabular-nums">{a.attempts}</dd>
        </div>
        <div>
          <dt className="text-xs uppercase tracking-wide text-slate-500">Status</dt>
          <dd>{a.status}</dd>
        </div>
      </dl>
      {a.error && !notRunYet(a) ? (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900">
          Error: {a.error}
        </p>
      ) : null}
      {a.raw !== null ? (
        <div>
          <h4 className="text-xs font-semibold uppercase tracking-wide text-slate-500">Raw output</h4>
          <pre
            className="mt-1 max-h-96 overflow-y-auto whitespace-pre-wrap rounded-md bg-slate-50 p-3 font-mono text-xs leading-relaxed text-slate-800"
            data-testid="raw-output"
          >
            {a.raw}
          </pre>
        </div>
      ) : null}
      <Judge a={a} hasJudge={hasJudge} />
    </article>
  );
}

/** Drill-down of one question: the case, the options with the reference, and every model's output and verdicts. */
export function ItemDetailView({ runId, idx }: { runId: string; idx: number }) {
  const { data: run } = useRun(runId);
  const { data, error, isPending } = useQuery({
    // Follows the run while it is going: a model's answer appears once it is recorded.
    queryKey: ["item", runId, idx, run?.done, run?.judged, run?.status],
    queryFn: () => apiJson(`/api/runs/${encodeURIComponent(runId)}/items/${idx}`, ItemDetailSchema),
    placeholderData: keepPreviousData,
  });
  if (error) return <ErrorPanel error={errorBodyOf(error)} />;
  if (isPending) return <p className="text-sm text-slate-500">Loading the question…</p>;

  const pickedBy = (letter: string) => data.answers.filter((a) => a.letter === letter).map((a) => a.model);
  return (
    <div className="space-y-6">
      <section aria-labelledby="case-heading" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="case-heading" className="text-lg font-semibold">
          Case <span className="text-sm font-normal text-slate-500">(line {data.sourceLine} of the dataset file)</span>
        </h2>
        <p className="whitespace-pre-wrap text-sm leading-relaxed" data-testid="case-text">
          {data.caseText}
        </p>
        <ul className="space-y-1.5" aria-label="Options">
          {Object.entries(data.options).map(([letter, text]) => {
            const isRef = letter === data.reference.letter;
            const models = pickedBy(letter);
            return (
              <li
                key={letter}
                data-testid={`option-${letter}`}
                data-reference={isRef ? "true" : undefined}
                className={`flex flex-wrap items-center gap-2 rounded-md border px-3 py-2 text-sm ${
                  isRef ? "border-emerald-400 bg-emerald-50" : "border-slate-200"
                }`}
              >
                <span className="font-semibold">{letter}.</span>
                <span>{text}</span>
                {isRef ? (
                  <Badge tone="success" solid>
                    Reference
                  </Badge>
                ) : null}
                {models.map((m) => (
                  <span key={m} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700">
                    {m}
                  </span>
                ))}
              </li>
            );
          })}
        </ul>
      </section>

      <section
        aria-labelledby="reference-heading"
        className="space-y-2 rounded-lg border border-emerald-300 bg-emerald-50 p-4"
        data-testid="reference-answer"
      >
        <h2 id="reference-heading" className="text-lg font-semibold">
          Reference answer: {data.reference.letter}
        </h2>
        <p className="text-sm">
          {data.reference.letter}: {data.reference.text}
        </p>
        {data.reference.reasoning ? (
          <details open>
            <summary className="cursor-pointer text-sm font-medium">Reference reasoning</summary>
            <p className="mt-2 whitespace-pre-wrap text-sm text-slate-800">{data.reference.reasoning}</p>
          </details>
        ) : null}
      </section>

      <section aria-labelledby="answers-heading" className="space-y-3">
        <h2 id="answers-heading" className="text-lg font-semibold">
          Model answers
        </h2>
        <div className="grid gap-4 lg:grid-cols-2">
          {data.answers.map((a, i) => (
            <AnswerCard key={a.model} a={a} index={i} hasJudge={run ? run.judge !== null : undefined} />
          ))}
        </div>
      </section>
    </div>
  );
}
