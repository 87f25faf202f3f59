import type { Metadata } from "next";
import { adminGate } from "@/components/admin/admin-gate";
import { ApiKeys } from "@/components/admin/api-keys";

export const metadata: Metadata = { title: "API keys — MedGPT dashboard" };

export default async function ApiKeysPage() {
  const blocked = await adminGate("/admin/keys");
  if (blocked) return blocked;
  return (
    <main className="mx-auto max-w-5xl space-y-6 px-4 py-6">
      <div>
        <h1 className="text-2xl font-semibold">API keys</h1>
        <p className="text-sm text-slate-600">
          Keys let other systems call MedGPT&apos;s question API. Give each system its own key: you can see when each
          was last used and revoke one without affecting the others.
        </p>
      </div>
      <ApiKeys />
    </main>
  );
}
