"use client";

import { ModelDot } from "./model-dot";
import type { ReactNode } from "react";
import type { RunView } from "@/eval/api/schemas";
import { Explain, MEANINGS } from "./explain";
import { ms, num, pct, pctRange } from "./format";
import { useRun } from "./use-run";

type Summary = NonNullable<RunView["summary"]>[number];

/** "+4.0 pp" between two proportions, or nothing to say. */
const pp = (a: number | null, b: number | null) =>
  a === null || b === null ? "—" : `${a >= b ? "+" : "−"}${Math.abs((a - b) * 100).toFixed(1)} pp`;

function Stat({ label, children, hint }: { label: ReactNode; children: ReactNode; hint?: ReactNode }) {
  return (
    <div>
      <dt className="text-xs uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="text-sm">
        {children}
        {hint ? <span className="block text-xs text-slate-500">{hint}</span> : null}
      </dd>
    </div>
  );
}

function Card({ s, index, judge, samples }: { s: Summary; index: number; judge: string | null; samples: number }) {
  const vote = s.vote;
  return (
    <article
      className="rounded-lg border border-slate-200 bg-white p-4"
      data-testid={`summary-${s.model}`}
      aria-labelledby={`summary-h-${index}`}
    >
      <h3 id={`summary-h-${index}`} className="flex items-center gap-2 font-mono text-sm font-semibold break-all">
        <ModelDot index={index} />
        {s.model}
      </h3>
      <dl className="mt-3 grid grid-cols-2 gap-3">
        <Stat
          label={
            <Explain term="accuracy" meaning={MEANINGS.accuracyCi}>
              {vote ? "Accuracy, first sample" : "Accuracy"}
            </Explain>
          }
          hint={`95% CI ${pctRange(s.accuracyCi)} · ${s.correct}/${s.completed} correct`}
        >
          <span className="text-2xl font-semibold tabular-nums" data-testid="accuracy">
            {pct(s.accuracy)}
          </span>
        </Stat>
        {vote ? (
          <Stat
            label={
              <Explain
                term="vote accuracy"
                meaning={`Self-consistency: the model answered each question ${samples} times and the most frequent letter is its vote. This is how often the vote is right.`}
              >
                Vote accuracy ({samples} samples)
              </Explain>
            }
            hint={`${vote.correct}/${s.completed} correct · ${pp(vote.accuracy, s.accuracy)} vs first sample`}
          >
            <span className="text-2xl font-semibold tabular-nums" data-testid="vote-accuracy">
              {pct(vote.accuracy)}
            </span>
          </Stat>
        ) : null}
        <Stat
          label="Judge score"
          hint={
            judge === null
              ? undefined
              : `${s.judgeCi ? `95% CI ${num(s.judgeCi[0], 2)}–${num(s.judgeCi[1], 2)} · ` : ""}${s.judged} scored${
                  s.unparseableVerdicts ? ` · ${s.unparseableVerdicts} unparseable` : ""
                }${s.judgeErrors ? ` · ${s.judgeErrors} errors` : ""}`
          }
        >
          {judge === null ? (
            <span className="text-slate-500" data-testid="judge-mean">
              no judge
            </span>
          ) : (
            <span className="text-2xl font-semibold tabular-nums" data-testid="judge-mean">
              {s.judgeMean === null ? "—" : `${num(s.judgeMean, 2)} / 5`}
            </span>
          )}
        </Stat>
        <Stat label="Format compliance" hint={s.completed ? pct(s.formatOk / s.completed) : undefined}>
          <span className="tabular-nums">
            {s.formatOk}/{s.completed}
          </span>
        </Stat>
        <Stat label="Latency p50 / p95" hint={`of ${s.completed} answers`}>
          <span className="tabular-nums">
            {ms(s.latencyP50Ms)} / {ms(s.latencyP95Ms)}
          </span>
        </Stat>
        <Stat label="Tokens/s">
          <span className="tabular-nums">{num(s.tokensPerSecond)}</span>
        </Stat>
        <Stat label="Errors" hint={`${s.completed + s.errors}/${s.total} items done`}>
          <span className={`tabular-nums ${s.errors ? "font-semibold text-red-700" : ""}`} data-testid="errors">
            {s.errors}
          </span>
        </Stat>
        <Stat
          label={<Explain term="ECE" meaning={MEANINGS.ece} />}
          hint={
            s.calibration ? `${s.calibration.n} answers with a confidence` : "no confidence recorded for these answers"
          }
        >
          <span className="tabular-nums" data-testid="ece">
            {num(s.calibration?.ece, 3)}
          </span>
        </Stat>
        <Stat
          label={
            <>
              <Explain term="Brier" meaning={MEANINGS.brier} /> · <Explain term="AURC" meaning={MEANINGS.aurc} />
            </>
          }
        >
          <span className="tabular-nums">
            {s.calibration
              ? `${s.calibration.brier === null ? "—" : num(s.calibration.brier, 3)} · ${num(s.calibration.aurc, 3)}`
              : "—"}
          </span>
        </Stat>
      </dl>
    </article>
  );
}

/** One card per model: accuracy with its Wilson interval, judge mean, format compliance, latency, speed, errors. */
export function SummaryCards({ runId }: { runId: string }) {
  const { data: run } = useRun(runId);
  if (!run?.summary) return null;
  return (
    <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
      {run.summary.map((s, i) => (
        <Card key={s.model} s={s} index={i} judge={run.judge} samples={run.settings.samples} />
      ))}
    </div>
  );
}
