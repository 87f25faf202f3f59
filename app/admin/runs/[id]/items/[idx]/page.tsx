import type { Metadata } from "next";
import Link from "next/link";
import { adminGate } from "@/components/admin/admin-gate";
import { itemHref, questionNumber, runHref, safeDecode } from "@/components/admin/format";
import { ItemDetailView } from "@/components/admin/item-detail";

type Params = Promise<{ id: string; idx: string }>;

/** The URL holds the API's 0-based index; the page shows the question's number, counted from 1. */
const indexOf = (raw: string) => {
  const idx = Number(raw);
  return Number.isInteger(idx) && idx >= 0 ? idx : null;
};

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { id, idx } = await params;
  const i = indexOf(idx);
  return { title: `Question ${i === null ? idx : questionNumber(i)} of ${safeDecode(id)} — MedGPT dashboard` };
}

export default async function ItemPage({ params }: { params: Params }) {
  const { id: rawId, idx: rawIdx } = await params;
  const id = safeDecode(rawId);
  const idx = indexOf(rawIdx);
  const blocked = await adminGate(idx !== null ? itemHref(id, idx) : runHref(id));
  if (blocked) return blocked;
  return (
    <main className="mx-auto max-w-5xl space-y-4 px-4 py-6">
      {idx !== null ? (
        <ItemDetailView runId={id} idx={idx} />
      ) : (
        <>
          <p className="text-sm">
            <Link href={runHref(id)} className="text-brand-700 underline">
              ← Run <span className="font-mono">{id}</span>
            </Link>
          </p>
          <h1 className="text-2xl font-semibold">Question not found</h1>
          <p role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900">
            “{rawIdx}” is not a question of this run.
          </p>
        </>
      )}
    </main>
  );
}
