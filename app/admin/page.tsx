import type { Metadata } from "next";
import Link from "next/link";
import { adminGate } from "@/components/admin/admin-gate";
import { DatasetsList, DatasetUpload } from "@/components/admin/datasets";
import { RunsTable } from "@/components/admin/runs-table";
import { SectionHead } from "@/components/ui/section-head";

export const metadata: Metadata = { title: "Dashboard — MedGPT" };

export default async function AdminHomePage() {
  const blocked = await adminGate("/admin");
  if (blocked) return blocked;
  return (
    <main className="mx-auto max-w-5xl space-y-10 px-4 py-6">
      <section aria-labelledby="runs-heading" className="space-y-3">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <div>
            <h1 id="runs-heading" className="text-2xl font-semibold">
              Evaluation runs
            </h1>
            <p className="text-sm text-slate-600">
              Each run asks one or more models every question of a dataset and scores the answers.
            </p>
          </div>
          <Link
            href="/admin/runs/new"
            className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700 focus:outline-none focus:ring-2 focus:ring-brand-600/40"
          >
            New run
          </Link>
        </div>
        <RunsTable />
      </section>

      <section aria-labelledby="datasets-heading" className="space-y-3">
        <SectionHead id="datasets-heading" title="Datasets" size="text-xl">
          Upload a question set; every row is validated and rejected rows are listed with their line number.
        </SectionHead>
        <DatasetUpload />
        <DatasetsList />
      </section>
    </main>
  );
}
