import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { adminGate } from "@/components/admin/admin-gate";
import { ResultsTable } from "@/components/admin/results-table";
import { RunCalibration, RunSelfConsistency } from "@/components/admin/run-calibration";
import { RunCharts } from "@/components/admin/run-charts";
import { RunHeader } from "@/components/admin/run-header";
import { RunSettingsOf } from "@/components/admin/run-settings";
import { RunStatusPanel } from "@/components/admin/run-status-panel";
import { SummaryCards } from "@/components/admin/summary-cards";
import { safeDecode } from "@/components/admin/format";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  return { title: `Run ${safeDecode((await params).id)} — MedGPT dashboard` };
}

/** A part of the page under its heading, which names it for assistive technology. */
function Section({
  id,
  title,
  intro,
  children,
}: {
  id: string;
  title: string;
  intro?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={`${id}-heading`} className="min-w-0 space-y-3">
      <div>
        <h2 id={`${id}-heading`} className="text-lg font-semibold">
          {title}
        </h2>
        {intro ? <p className="max-w-prose text-sm text-slate-600">{intro}</p> : null}
      </div>
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
      <div className="space-y-1">
        <p className="text-sm">
          <Link href="/admin" className="text-brand-700 underline">
            ← All runs
          </Link>
        </p>
        <RunHeader runId={id} />
      </div>
      <RunStatusPanel runId={id} />
      <Section id="summary" title="Summary by model">
        <SummaryCards runId={id} />
      </Section>
      <Section
        id="calibration"
        title="Calibration"
        intro="Whether a model's confidence can be trusted: when it says 80 %, is it right 80 % of the time? Confidence is the probability the model gave its chosen option."
      >
        <RunCalibration runId={id} />
      </Section>
      <RunSelfConsistency runId={id} />
      <Section id="settings" title="Settings">
        <RunSettingsOf runId={id} />
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
