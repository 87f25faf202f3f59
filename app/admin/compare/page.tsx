import type { Metadata } from "next";
import { adminGate } from "@/components/admin/admin-gate";
import { compareTableFrom, type Sides } from "@/components/admin/compare-state";
import { CompareView } from "@/components/admin/compare-view";

export const metadata: Metadata = { title: "Compare — MedGPT dashboard" };

const SIDE_KEYS = ["runA", "modelA", "runB", "modelB"] as const;
const TABLE_KEYS = ["filter", "q", "page", "pageSize"] as const;

export default async function ComparePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const sp = await searchParams;
  const first = (k: string) => {
    const v = sp[k];
    return Array.isArray(v) ? v[0] : v;
  };
  const initial: Partial<Sides> = {};
  for (const k of SIDE_KEYS) {
    const s = first(k);
    if (s) initial[k] = s;
  }
  const tableParams: Record<string, string> = {};
  for (const k of TABLE_KEYS) {
    const s = first(k);
    if (s) tableParams[k] = s;
  }
  const qs = new URLSearchParams({ ...initial, ...tableParams }).toString();
  const blocked = await adminGate(`/admin/compare${qs ? `?${qs}` : ""}`);
  if (blocked) return blocked;
  return (
    <main className="mx-auto max-w-5xl space-y-4 px-4 py-6">
      <div>
        <h1 className="text-2xl font-semibold">Compare two models</h1>
        <p className="text-sm text-slate-600">
          A paired comparison over the questions both sides answered: accuracy and its difference, McNemar&apos;s exact
          test on the questions only one side got right, judge wins and losses, and each side&apos;s calibration.
        </p>
      </div>
      <CompareView initial={initial} initialTable={compareTableFrom(tableParams)} />
    </main>
  );
}
