import type { Metadata } from "next";
import { adminGate } from "@/components/admin/admin-gate";
import { AuditLog } from "@/components/admin/audit-log";

export const metadata: Metadata = { title: "Audit log — MedGPT dashboard" };

export default async function AuditPage() {
  const blocked = await adminGate("/admin/audit");
  if (blocked) return blocked;
  return (
    <main className="mx-auto max-w-5xl space-y-4 px-4 py-6">
      <div>
        <h1 className="text-2xl font-semibold">Audit log</h1>
        <p className="text-sm text-slate-600">
          Sign-ins, failed sign-ins, runs started, cancelled and resumed, uploads and API key changes. Case text is
          never recorded here.
        </p>
      </div>
      <AuditLog />
    </main>
  );
}
