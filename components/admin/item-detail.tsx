"use client";

import { ModelDot } from "./model-dot";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { ItemDetail } from "@/eval/api/schemas";
import { ItemDetailReader } from "./read-eval";
import { apiJson, errorBodyOf } from "./api";
import { itemHref, ms, pct, questionNumber, runHref, runLabel } from "./format";
import { isNotRunYet, LetterBadge } from "./letter-badge";
import { ProblemPanel } from "./problem";
import { useRun } from "./use-run";

type Answer = ItemDetail["answers"][number];

const notRunYet = (a: Answer) => isNotRunYet(a);

/** Right or wrong in words, with a mark; never colour alone. */
function Verdict({ a, reference }: { a: Answer; reference: string }) {
  if (notRunYet(a)) return <span className="text-slate-600">not answered yet</span>;
  if (a.status === "error") return <span className="text-slate-600">generation failed</span>;
  if (a.exact)
    return (
      <span className="font-semibold text-emerald-700" data-testid="verdict">
        ✓ right (the reference answer)
      </span>
    );
  return (
    <span className="font-semibold text-red-700" data-testid="verdict">
      ✗ wrong{a.letter === null ? " (no option named)" : ""}: the reference is {reference}
    </span>
  );
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

/** Per-option probabilities as bars with their percentage; the model's pick and the reference are marked. */
function Probabilities({ a, options, reference }: { a: Answer; options: string[]; reference: string }) {
  if (!a.probabilities) return null;
  return (
    <div data-testid="probabilities">
      <h4 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Probability of each option</h4>
      <ul className="mt-1 space-y-1" aria-label={`Probabilities of ${a.model}`}>
        {options.map((letter) => {
          const p = a.probabilities?.[letter as keyof typeof a.probabilities] ?? 0;
          const picked = letter === a.letter;
          return (
            <li
              key={letter}
              className="grid grid-cols-[1.5rem_1fr_3.5rem] items-center gap-2 text-sm"
              data-letter={letter}
            >
              <span className="font-semibold">{letter}</span>
              <span className="h-3 overflow-hidden rounded bg-slate-100" aria-hidden>
                <span
                  className={`block h-full rounded ${picked ? (a.exact ? "bg-emerald-600" : "bg-red-600") : "bg-slate-400"}`}
                  style={{ width: `${Math.max(0, Math.min(1, p)) * 100}%` }}
                />
              </span>
              <span className="text-right tabular-nums" data-testid="probability">
                {pct(p)}
              </span>
              <span className="sr-only">
                {picked ? " (the model's pick)" : ""}
                {letter === reference ? " (reference)" : ""}
              </span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** Self-consistency: each sample's letter, the vote and how many agreed. */
function Samples({ a, reference }: { a: Answer; reference: string }) {
  if (a.samples.length === 0) return null;
  return (
    <div data-testid="samples">
      <h4 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">
        {a.samples.length} samples
        {a.voteLetter ? (
          <span className="ml-2 font-normal tracking-normal normal-case text-slate-700">
            vote {a.voteLetter} ({a.voteLetter === reference ? "right" : "wrong"})
            {a.agreement !== null ? `, ${pct(a.agreement, 0)} of the samples agree` : ""}
          </span>
        ) : null}
      </h4>
      <ol className="mt-1 flex flex-wrap gap-1.5 text-xs">
        {a.samples.map((x, i) => (
          <li
            key={i}
            className={`rounded border px-1.5 py-0.5 font-mono ${x.letter === reference ? "border-emerald-400 bg-emerald-50" : "border-slate-300"}`}
            title={x.confidence !== null ? `confidence ${pct(x.confidence)}` : undefined}
          >
            {i + 1}: {x.letter ?? "none"}
            {x.letter === reference ? <span className="sr-only"> (right)</span> : null}
          </li>
        ))}
      </ol>
    </div>
  );
}

function AnswerCard({
  a,
  index,
  hasJudge,
  options,
  reference,
}: {
  a: Answer;
  index: number;
  hasJudge: boolean | undefined;
  options: string[];
  reference: string;
}) {
  return (
    <article
      className="min-w-0 space-y-3 rounded-lg border border-slate-200 bg-white p-4"
      data-testid="model-answer"
      data-model={a.model}
    >
      <header className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <h3 className="flex min-w-0 items-center gap-2 font-mono text-sm font-semibold break-all">
          <ModelDot index={index} />
          {a.model}
        </h3>
        <span className="flex items-center gap-2 text-sm">
          Picked <LetterBadge answer={a} size="lg" />
        </span>
        <Verdict a={a} reference={reference} />
      </header>
      <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm sm:grid-cols-3">
        <div>
          <dt className="text-xs tracking-wide text-slate-500 uppercase">Confidence</dt>
          <dd className="tabular-nums" data-testid="confidence">
            {a.confidence === null ? "—" : pct(a.confidence)}
          </dd>
        </div>
        <div>
          <dt className="text-xs tracking-wide text-slate-500 uppercase">Format</dt>
          <dd>{a.formatOk === null ? "—" : a.formatOk ? "followed" : "not followed"}</dd>
        </div>
        <div>
          <dt className="text-xs tracking-wide text-slate-500 uppercase">Latency</dt>
          <dd className="tabular-nums">{ms(a.latencyMs)}</dd>
        </div>
        <div>
          <dt className="text-xs tracking-wide text-slate-500 uppercase">Attempts</dt>
          <dd className="tabular-nums">{a.attempts}</dd>
        </div>
        <div>
          <dt className="text-xs tracking-wide text-slate-500 uppercase">Generation</dt>
          <dd>{a.status === "ok" ? "done" : a.status === "error" ? "failed" : "not yet"}</dd>
        </div>
      </dl>
      {a.error && !notRunYet(a) ? (
        <p
          role="alert"
          className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm break-words text-red-900"
        >
          Error: {a.error}
        </p>
      ) : null}
      <Probabilities a={a} options={options} reference={reference} />
      <Samples a={a} reference={reference} />
      {a.raw !== null ? (
        <div>
          <h4 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Raw output</h4>
          {/* The whole output, however long: no inner scroll box; long words wrap instead of widening the page. */}
          <pre
            className="mt-1 rounded-md bg-slate-50 p-3 font-mono text-xs leading-relaxed break-words whitespace-pre-wrap text-slate-800 [overflow-wrap:anywhere]"
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

/** Previous and next question of the run, by their numbers. */
function QuestionNav({ runId, item, where }: { runId: string; item: ItemDetail; where: "top" | "bottom" }) {
  const link =
    "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-brand-700 hover:bg-brand-50";
  return (
    <nav
      className="flex flex-wrap items-center justify-between gap-2"
      aria-label={where === "top" ? "Previous and next question" : "Previous and next question (end of page)"}
    >
      {item.previous !== null ? (
        <Link href={itemHref(runId, item.previous)} className={link} rel="prev">
          ← Question {questionNumber(item.previous)}
        </Link>
      ) : (
        <span className="text-sm text-slate-500">First question of the run</span>
      )}
      {item.next !== null ? (
        <Link href={itemHref(runId, item.next)} className={link} rel="next">
          Question {questionNumber(item.next)} →
        </Link>
      ) : (
        <span className="text-sm text-slate-500">Last question of the run</span>
      )}
    </nav>
  );
}

/**
 * Drill-down of one question: its number, previous and next, the case, the options with the reference and each
 * model's pick, and every model's output: verdict in words, confidence, probabilities, samples, the full raw output,
 * and the judge.
 */
export function ItemDetailView({ runId, idx }: { runId: string; idx: number }) {
  const { data: run } = useRun(runId);
  const { data, error, isPending } = useQuery({
    // Follows the run while it is going: a model's answer appears once it is recorded.
    queryKey: ["item", runId, idx, run?.done, run?.judged, run?.status],
    queryFn: () => apiJson(`/api/runs/${encodeURIComponent(runId)}/items/${idx}`, ItemDetailReader),
    placeholderData: keepPreviousData,
  });
  // The URL has the API's 0-based index; people count from 1.
  const number = data?.itemIdx === idx ? data.number : questionNumber(idx);
  const header = (
    <div>
      <p className="text-sm">
        <Link href={runHref(runId)} className="break-all text-brand-700 underline">
          ← {run ? runLabel(run) : <span className="font-mono">{runId}</span>}
        </Link>
      </p>
      <h1 className="mt-1 text-2xl font-semibold">
        Question {number}
        {run ? (
          <>
            {" "}
            <span className="text-base font-normal text-slate-500">of {run.items}</span>
          </>
        ) : null}
      </h1>
    </div>
  );
  if (error)
    return (
      <div className="space-y-4">
        {header}
        <ProblemPanel error={errorBodyOf(error)} />
      </div>
    );
  if (isPending)
    return (
      <div className="space-y-4">
        {header}
        <p className="text-sm text-slate-500">Loading the question…</p>
      </div>
    );

  const options = Object.keys(data.options);
  const pickedBy = (letter: string) => data.answers.filter((a) => a.status === "ok" && a.letter === letter);
  return (
    <div className="space-y-6">
      <div className="space-y-3">
        {header}
        <QuestionNav runId={runId} item={data} where="top" />
      </div>
      <section aria-labelledby="case-heading" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="case-heading" className="text-lg font-semibold">
          Case <span className="text-sm font-normal text-slate-500">(line {data.sourceLine} of the dataset file)</span>
        </h2>
        <p className="text-sm leading-relaxed break-words whitespace-pre-wrap" data-testid="case-text">
          {data.caseText}
        </p>
        <ul className="space-y-1.5" aria-label="Options">
          {Object.entries(data.options).map(([letter, text]) => {
            const isRef = letter === data.reference.letter;
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
                <span className="min-w-0 break-words">{text}</span>
                {isRef ? (
                  // emerald-700, not the solid badge's 600: white text-xs on it meets 4.5:1.
                  <span className="rounded bg-emerald-700 px-2 py-0.5 text-xs font-semibold text-white">Reference</span>
                ) : null}
                {pickedBy(letter).map((a) => (
                  <span
                    key={a.model}
                    className={`rounded px-1.5 py-0.5 text-xs ${a.exact ? "bg-emerald-100 text-emerald-900" : "bg-red-100 text-red-900"}`}
                    data-testid="picked-by"
                  >
                    <span className="font-mono">{a.model}</span> picked this: {a.exact ? "✓ right" : "✗ wrong"}
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
            <p className="mt-2 text-sm break-words whitespace-pre-wrap text-slate-800">{data.reference.reasoning}</p>
          </details>
        ) : null}
      </section>

      <section aria-labelledby="answers-heading" className="space-y-3">
        <h2 id="answers-heading" className="text-lg font-semibold">
          Model answers
        </h2>
        <div className="grid gap-4 lg:grid-cols-2">
          {data.answers.map((a, i) => (
            <AnswerCard
              key={a.model}
              a={a}
              index={i}
              hasJudge={run ? run.judge !== null : undefined}
              options={options}
              reference={data.reference.letter}
            />
          ))}
        </div>
      </section>
      <QuestionNav runId={runId} item={data} where="bottom" />
    </div>
  );
}
