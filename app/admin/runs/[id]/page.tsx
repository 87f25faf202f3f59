import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { adminGate } from "@/components/admin/admin-gate";
import { ResultsTable } from "@/components/admin/results-table";
import { RunCharts } from "@/components/admin/run-charts";
import { RunStatusPanel } from "@/components/admin/run-status-panel";
import { SummaryCards } from "@/components/admin/summary-cards";
import { safeDecode } from "@/components/admin/format";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  return { title: `Run ${safeDecode((await params).id)} — MedGPT dashboard` };
}

/** A part of the page under its heading, which names it for assistive technology. */
function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={`${id}-heading`} className="space-y-3">
      <h2 id={`${id}-heading`} className="text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
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
      <Section id="summary" title="Summary by model">
        <SummaryCards runId={id} />
      </Section>
      <Section id="charts" title="Distributions">
        <RunCharts runId={id} />
      </Section>
      <Section id="questions" title="Questions">
        <ResultsTable runId={id} />
      </Section>
    </main>
  );
}
