"use client";

import type { ReactNode } from "react";
import type { RunView } from "@/eval/api/schemas";
import { modelColor, ms, num, pct, pctRange } from "./format";
import { useRun } from "./use-run";

type Summary = NonNullable<RunView["summary"]>[number];

function Stat({ label, children, hint }: { label: string; children: ReactNode; hint?: ReactNode }) {
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

function Card({ s, index, judge }: { s: Summary; index: number; judge: string | null }) {
  return (
    <article
      className="rounded-lg border border-slate-200 bg-white p-4"
      data-testid={`summary-${s.model}`}
      aria-labelledby={`summary-h-${index}`}
    >
      <h3 id={`summary-h-${index}`} className="flex items-center gap-2 font-mono text-sm font-semibold">
        <span aria-hidden className="inline-block h-2.5 w-2.5 rounded-full" style={{ background: modelColor(index) }} />
        {s.model}
      </h3>
      <dl className="mt-3 grid grid-cols-2 gap-3">
        <Stat label="Accuracy" hint={`95% CI ${pctRange(s.accuracyCi)} · ${s.correct}/${s.completed} correct`}>
          <span className="text-2xl font-semibold tabular-nums" data-testid="accuracy">
            {pct(s.accuracy)}
          </span>
        </Stat>
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
        <Stat label="Latency p50 / p95">
          <span className="tabular-nums">
            {ms(s.latencyP50Ms)} / {ms(s.latencyP95Ms)}
          </span>
        </Stat>
        <Stat label="Tokens/s">
          <span className="tabular-nums">{num(s.tokensPerSecond)}</span>
        </Stat>
        <Stat label="Errors" hint={`${s.completed + s.errors}/${s.total} items done`}>
          <span className={`tabular-nums ${s.errors ? "font-semibold text-red-700" : ""}`}>{s.errors}</span>
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
        <Card key={s.model} s={s} index={i} judge={run.judge} />
      ))}
    </div>
  );
}
