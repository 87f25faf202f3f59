"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState } from "react";
import { DataTable } from "@/components/ui/data-table";
import { ErrorPanel } from "@/components/ui/error-panel";
import { Field, Fieldset } from "@/components/ui/field";
import { Select } from "@/components/ui/inputs";
import { ComparisonSchema, type ComparisonView, type RunView } from "@/eval/api/schemas";
import { apiJson, errorBodyOf } from "./api";
import { itemHref, pct, pp, pValue, runHref } from "./format";
import { fetchRuns } from "./runs-table";

export type Sides = { runA: string; modelA: string; runB: string; modelB: string };

/** The four choices, completed with defaults: a run with two models compares its own two models. */
function withDefaults(s: Partial<Sides>, runs: RunView[]): Sides {
  const find = (id: string | undefined) => runs.find((r) => r.id === id);
  const runA =
    find(s.runA) ??
    runs.find((r) => r.models.length >= 2 && r.status === "completed") ??
    runs.find((r) => r.models.length >= 2) ??
    runs[0];
  if (!runA) return { runA: "", modelA: "", runB: "", modelB: "" };
  const modelA = s.modelA && runA.models.includes(s.modelA) ? s.modelA : (runA.models[0] ?? "");
  const sameDataset = runs.filter((r) => r.datasetId === runA.datasetId);
  const runB = find(s.runB) ?? (runA.models.length >= 2 ? runA : (sameDataset.find((r) => r.id !== runA.id) ?? runA));
  const modelB =
    s.modelB && runB.models.includes(s.modelB)
      ? s.modelB
      : (runB.models.find((m) => runB.id !== runA.id || m !== modelA) ?? runB.models[0] ?? "");
  return { runA: runA.id, modelA, runB: runB.id, modelB };
}

function RunSide({
  side,
  runs,
  runId,
  model,
  onChange,
}: {
  side: "A" | "B";
  runs: RunView[];
  runId: string;
  model: string;
  onChange: (runId: string, model: string) => void;
}) {
  const run = runs.find((r) => r.id === runId);
  return (
    <Fieldset legend={`Side ${side}`}>
      <Field id={`run-${side}`} label={`Run ${side}`}>
        {(control) => (
          <Select
            {...control}
            value={runId}
            onChange={(e) => onChange(e.target.value, runs.find((r) => r.id === e.target.value)?.models[0] ?? "")}
            className="w-full"
          >
            {runs.map((r) => (
              <option key={r.id} value={r.id}>
                {r.id} · {r.datasetName ?? r.datasetId} · {r.status}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field id={`model-${side}`} label={`Model ${side}`}>
        {(control) => (
          <Select {...control} value={model} onChange={(e) => onChange(runId, e.target.value)} className="w-full">
            {(run?.models ?? []).map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </Select>
        )}
      </Field>
    </Fieldset>
  );
}

function Stat({ label, value, hint, testId }: { label: string; value: string; hint?: string; testId?: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4">
      <dt className="text-xs uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold tabular-nums" data-testid={testId}>
        {value}
      </dd>
      {hint ? <dd className="text-xs text-slate-500">{hint}</dd> : null}
    </div>
  );
}

function Results({ c }: { c: ComparisonView }) {
  const sameRun = c.a.runId === c.b.runId;
  const labelA = sameRun ? c.a.model : `${c.a.model} (${c.a.runId})`;
  const labelB = sameRun ? c.b.model : `${c.b.model} (${c.b.runId})`;
  const judged = c.judge.wins + c.judge.losses + c.judge.ties;
  return (
    <div className="space-y-6" data-testid="comparison">
      <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Stat label="Paired questions" value={String(c.paired)} hint="completed by both sides" testId="paired" />
        <Stat label={`Accuracy A`} value={pct(c.accuracyA)} hint={labelA} testId="accuracy-a" />
        <Stat label={`Accuracy B`} value={pct(c.accuracyB)} hint={labelB} testId="accuracy-b" />
        <Stat label="Difference (A − B)" value={pp(c.accuracyDiff)} hint="percentage points" testId="accuracy-diff" />
        <Stat
          label="McNemar exact p"
          value={pValue(c.mcnemarP)}
          hint={c.mcnemarP < 0.05 ? "significant at 5%" : "not significant at 5%"}
          testId="mcnemar-p"
        />
        <Stat
          label="Discordant pairs"
          value={`${c.discordant.aOnly} / ${c.discordant.bOnly}`}
          hint="A right & B wrong / A wrong & B right"
          testId="discordant"
        />
        <Stat
          label="Judge: A wins / losses / ties"
          value={judged === 0 ? "—" : `${c.judge.wins} / ${c.judge.losses} / ${c.judge.ties}`}
          hint={judged === 0 ? "no paired judge scores" : `${c.judge.skipped} pairs without both scores`}
          testId="judge-wlt"
        />
      </dl>

      <section aria-labelledby="differing-heading" className="space-y-2">
        <h2 id="differing-heading" className="text-lg font-semibold">
          Questions answered differently ({c.differing.length})
        </h2>
        {c.differing.length === 0 ? (
          <p className="text-sm text-slate-600" data-testid="no-differing">
            Both sides chose the same letter on every paired question.
          </p>
        ) : (
          <DataTable
            testId="differing-table"
            caption="Questions where the two sides chose different letters"
            columns={[
              { label: "Question" },
              { label: `A: ${labelA}`, className: "text-center" },
              { label: `B: ${labelB}`, className: "text-center" },
              { label: "Details" },
            ]}
          >
            {c.differing.map((d) => (
              <tr key={d.itemIdx}>
                <td className="px-3 py-2 font-mono text-xs">{d.itemIdx}</td>
                <td className={`px-3 py-2 text-center font-semibold ${d.exactA ? "text-emerald-700" : "text-red-700"}`}>
                  {d.letterA ?? "—"} <span className="sr-only">{d.exactA ? "correct" : "wrong"}</span>
                </td>
                <td className={`px-3 py-2 text-center font-semibold ${d.exactB ? "text-emerald-700" : "text-red-700"}`}>
                  {d.letterB ?? "—"} <span className="sr-only">{d.exactB ? "correct" : "wrong"}</span>
                </td>
                <td className="space-x-3 px-3 py-2">
                  <Link href={itemHref(c.a.runId, d.itemIdx)} className="text-brand-700 underline">
                    {sameRun ? "Open" : "Run A"}
                  </Link>
                  {sameRun ? null : (
                    <Link href={itemHref(c.b.runId, d.itemIdx)} className="text-brand-700 underline">
                      Run B
                    </Link>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </div>
  );
}

/** Paired comparison of two (run, model) sides; the choice is kept in the URL so a comparison can be linked. */
export function CompareView({ initial }: { initial: Partial<Sides> }) {
  const runs = useQuery({ queryKey: ["runs"], queryFn: fetchRuns });
  const [choice, setChoice] = useState<Partial<Sides>>(initial);
  const list = runs.data?.runs ?? [];
  const sides = withDefaults(choice, list);
  const ready = Boolean(sides.runA && sides.modelA && sides.runB && sides.modelB);
  const qs = new URLSearchParams(sides).toString();

  useEffect(() => {
    if (!ready) return;
    const url = `${window.location.pathname}?${qs}`;
    if (url !== `${window.location.pathname}${window.location.search}`) window.history.replaceState(null, "", url);
  }, [ready, qs]);

  const comparison = useQuery({
    queryKey: ["compare", qs],
    queryFn: () => apiJson(`/api/compare?${qs}`, ComparisonSchema),
    enabled: ready,
  });

  if (runs.error) return <ErrorPanel error={errorBodyOf(runs.error)} />;
  if (runs.isPending) return <p className="text-sm text-slate-500">Loading runs…</p>;
  if (list.length === 0) {
    return (
      <p className="text-sm text-slate-600">
        No runs to compare yet.{" "}
        <Link href="/admin/runs/new" className="text-brand-700 underline">
          Start a run
        </Link>{" "}
        with two models.
      </p>
    );
  }
  const runB = list.find((r) => r.id === sides.runB);
  const runA = list.find((r) => r.id === sides.runA);
  return (
    <div className="space-y-6">
      <form
        className="grid gap-4 md:grid-cols-2"
        aria-label="Choose what to compare"
        onSubmit={(e) => e.preventDefault()}
      >
        <RunSide
          side="A"
          runs={list}
          runId={sides.runA}
          model={sides.modelA}
          onChange={(runA, modelA) => setChoice({ ...sides, runA, modelA })}
        />
        <RunSide
          side="B"
          runs={list}
          runId={sides.runB}
          model={sides.modelB}
          onChange={(runB, modelB) => setChoice({ ...sides, runB, modelB })}
        />
      </form>
      {runA && runB && runA.datasetId !== runB.datasetId ? (
        <p className="text-sm text-amber-800">
          The two runs use different datasets; only runs on the same dataset can be paired.
        </p>
      ) : null}
      {sides.runA === sides.runB && sides.modelA === sides.modelB ? (
        <p className="text-sm text-amber-800">
          Both sides are the same model of the same run; pick another model or run for side B.
        </p>
      ) : null}
      <p className="text-sm">
        <Link href={runHref(sides.runA)} className="text-brand-700 underline">
          Open run A
        </Link>
        {sides.runB !== sides.runA ? (
          <>
            {" · "}
            <Link href={runHref(sides.runB)} className="text-brand-700 underline">
              Open run B
            </Link>
          </>
        ) : null}
      </p>
      {comparison.error ? <ErrorPanel error={errorBodyOf(comparison.error)} /> : null}
      {comparison.isPending && ready ? <p className="text-sm text-slate-500">Comparing…</p> : null}
      {comparison.data ? <Results c={comparison.data} /> : null}
    </div>
  );
}
