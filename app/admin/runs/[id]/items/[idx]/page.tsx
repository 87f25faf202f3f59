import type { Metadata } from "next";
import Link from "next/link";
import { adminGate } from "@/components/admin/admin-gate";
import { itemHref, runHref, safeDecode } from "@/components/admin/format";
import { ItemDetailView } from "@/components/admin/item-detail";

type Params = Promise<{ id: string; idx: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { id, idx } = await params;
  return { title: `Question ${idx} of ${safeDecode(id)} — MedGPT dashboard` };
}

export default async function ItemPage({ params }: { params: Params }) {
  const { id: rawId, idx: rawIdx } = await params;
  const id = safeDecode(rawId);
  const idx = Number(rawIdx);
  const blocked = await adminGate(Number.isInteger(idx) && idx >= 0 ? itemHref(id, idx) : runHref(id));
  if (blocked) return blocked;
  return (
    <main className="mx-auto max-w-5xl space-y-4 px-4 py-6">
      <div>
        <p className="text-sm">
          <Link href={runHref(id)} className="text-brand-700 underline">
            ← Run <span className="font-mono">{id}</span>
          </Link>
        </p>
        <h1 className="mt-1 text-2xl font-semibold">Question {rawIdx}</h1>
      </div>
      {Number.isInteger(idx) && idx >= 0 ? (
        <ItemDetailView runId={id} idx={idx} />
      ) : (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900">
          “{rawIdx}” is not a question number.
        </p>
      )}
    </main>
  );
}
