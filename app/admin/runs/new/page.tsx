import type { Metadata } from "next";
import { adminGate } from "@/components/admin/admin-gate";
import { NewRunForm } from "@/components/admin/new-run-form";
import { getConfig } from "@/lib/config";

export const metadata: Metadata = { title: "New run — MedGPT dashboard" };

export default async function NewRunPage({ searchParams }: { searchParams: Promise<{ dataset?: string | string[] }> }) {
  const { dataset } = await searchParams;
  const datasetId = (Array.isArray(dataset) ? dataset[0] : dataset) ?? null;
  const blocked = await adminGate(`/admin/runs/new${datasetId ? `?dataset=${encodeURIComponent(datasetId)}` : ""}`);
  if (blocked) return blocked;
  return (
    <main className="mx-auto max-w-3xl space-y-4 px-4 py-6">
      <div>
        <h1 className="text-2xl font-semibold">New evaluation run</h1>
        <p className="text-sm text-slate-600">The run starts at once; its page shows progress live.</p>
      </div>
      <NewRunForm initialDatasetId={datasetId} defaultModel={getConfig().defaultModel} />
    </main>
  );
}
