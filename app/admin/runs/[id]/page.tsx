import type { Metadata } from "next";
import Link from "next/link";
import { adminGate } from "@/components/admin/admin-gate";
import { ResultsTable } from "@/components/admin/results-table";
import { RunCharts } from "@/components/admin/run-charts";
import { RunStatusPanel } from "@/components/admin/run-status-panel";
import { SummaryCards } from "@/components/admin/summary-cards";
import { safeDecode } from "@/components/admin/format";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  return { title: `Run ${safeDecode((await params).id)} — MedGPT dashboard` };
}

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id: rawId } = await params;
  const id = safeDecode(rawId);
  const blocked = await adminGate(`/admin/runs/${encodeURIComponent(id)}`);
  if (blocked) return blocked;
  return (
    <main className="mx-auto max-w-5xl space-y-6 px-4 py-6">
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
        <ResultsTable runId={id} />
      </section>
    </main>
  );
}
