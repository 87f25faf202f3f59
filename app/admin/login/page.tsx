import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AdminDisabled, currentAdminState, safeNext } from "@/components/admin/admin-gate";
import { LoginForm } from "@/components/admin/login-form";

export const metadata: Metadata = { title: "Log in — MedGPT dashboard" };

export default async function AdminLoginPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string | string[] }>;
}) {
  const next = safeNext((await searchParams).next);
  const state = await currentAdminState();
  if (state === "disabled") return <AdminDisabled />;
  if (state === "admin") redirect(next);
  return (
    <main className="mx-auto max-w-md space-y-4 px-4 py-10">
      <div>
        <h1 className="text-2xl font-semibold">Researchers&apos; dashboard</h1>
        <p className="mt-1 text-sm text-slate-600">Log in with the admin token to run and review evaluations.</p>
      </div>
      <LoginForm next={next} />
    </main>
  );
}
