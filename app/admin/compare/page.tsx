import type { Metadata } from "next";
import { adminGate } from "@/components/admin/admin-gate";
import { CompareView, type Sides } from "@/components/admin/compare-view";

export const metadata: Metadata = { title: "Compare — MedGPT dashboard" };

const KEYS = ["runA", "modelA", "runB", "modelB"] as const;

export default async function ComparePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const sp = await searchParams;
  const initial: Partial<Sides> = {};
  for (const k of KEYS) {
    const v = sp[k];
    const s = Array.isArray(v) ? v[0] : v;
    if (s) initial[k] = s;
  }
  const qs = new URLSearchParams(initial).toString();
  const blocked = await adminGate(`/admin/compare${qs ? `?${qs}` : ""}`);
  if (blocked) return blocked;
  return (
    <main className="mx-auto max-w-5xl space-y-4 px-4 py-6">
      <div>
        <h1 className="text-2xl font-semibold">Compare two models</h1>
        <p className="text-sm text-slate-600">
          A paired comparison over the questions both sides completed: accuracy, McNemar&apos;s exact test on the
          discordant pairs, and judge wins/losses.
        </p>
      </div>
      <CompareView initial={initial} />
    </main>
  );
}
