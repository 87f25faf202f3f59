import type { Metadata } from "next";
import Link from "next/link";
import { adminGate } from "@/components/admin/admin-gate";
import { isResultsFilter, ResultsTable, type ResultsState } from "@/components/admin/results-table";
import { RunCharts } from "@/components/admin/run-charts";
import { RunStatusPanel } from "@/components/admin/run-status-panel";
import { SummaryCards } from "@/components/admin/summary-cards";
import { safeDecode } from "@/components/admin/format";

type Search = Record<string, string | string[] | undefined>;

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  return { title: `Run ${safeDecode((await params).id)} — MedGPT dashboard` };
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

function intIn(v: string | undefined, min: number, max: number, fallback: number): number {
  const n = Number(v);
  return Number.isInteger(n) && n >= min && n <= max ? n : fallback;
}

/** The table's state from the URL, so that a link (or Back from a drill-down) restores filters and page. */
function resultsState(sp: Search): ResultsState {
  const filter = one(sp.filter);
  return {
    filter: isResultsFilter(filter) ? filter : "all",
    model: one(sp.model) ?? "",
    q: (one(sp.q) ?? "").slice(0, 200),
    page: intIn(one(sp.page), 1, 1_000_000, 1),
    pageSize: intIn(one(sp.pageSize), 1, 200, 25),
  };
}

export default async function RunPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Search> }) {
  const { id: rawId } = await params;
  const id = safeDecode(rawId);
  const blocked = await adminGate(`/admin/runs/${encodeURIComponent(id)}`);
  if (blocked) return blocked;
  const initial = resultsState(await searchParams);
  return (
    <main className="mx-auto max-w-6xl space-y-6 px-4 py-6">
      <div>
        <p className="text-sm">
          <Link href="/admin" className="text-brand-700 underline">
            ← All runs
          </Link>
        </p>
        <h1 className="mt-1 text-2xl font-semibold">
          Run <span className="font-mono text-xl">{id}</span>
        </h1>
      </div>
      <RunStatusPanel runId={id} />
      <section aria-labelledby="summary-heading" className="space-y-3">
        <h2 id="summary-heading" className="text-lg font-semibold">
          Summary by model
        </h2>
        <SummaryCards runId={id} />
      </section>
      <section aria-labelledby="charts-heading" className="space-y-3">
        <h2 id="charts-heading" className="text-lg font-semibold">
          Distributions
        </h2>
        <RunCharts runId={id} />
      </section>
      <section aria-labelledby="questions-heading" className="space-y-3">
        <h2 id="questions-heading" className="text-lg font-semibold">
          Questions
        </h2>
        <ResultsTable runId={id} initial={initial} />
      </section>
    </main>
  );
}
