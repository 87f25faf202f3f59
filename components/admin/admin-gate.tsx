import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { ADMIN_COOKIE, adminStateFromCookie, type AdminState } from "@/lib/auth";

export async function currentAdminState(): Promise<AdminState> {
  const store = await cookies();
  return adminStateFromCookie(store.get(ADMIN_COOKIE)?.value);
}

export function AdminDisabled() {
  return (
    <main className="mx-auto max-w-3xl px-4 py-10">
      <div
        role="alert"
        data-testid="admin-disabled"
        className="rounded-lg border border-amber-300 bg-amber-50 p-5 text-sm text-amber-950"
      >
        <h1 className="text-lg font-semibold">The admin area is disabled</h1>
        <p className="mt-2">
          The admin area is disabled: set ADMIN_TOKEN (16 or more characters) in the server&apos;s environment and
          restart the server to enable the researchers&apos; dashboard.
        </p>
      </div>
    </main>
  );
}

/** A login target is only ever a path inside the admin area, never another site. */
export function safeNext(next: string | string[] | undefined): string {
  const v = Array.isArray(next) ? next[0] : next;
  if (!v || !v.startsWith("/admin") || v.startsWith("//") || v.startsWith("/admin/login")) return "/admin";
  return v;
}

/**
 * Every admin page starts with this: "disabled" renders an explanation (the area is never open without a token),
 * "anonymous" redirects to the login page with `next`, "admin" returns null and the page renders.
 */
export async function adminGate(nextPath: string): Promise<ReactNode | null> {
  const state = await currentAdminState();
  if (state === "disabled") return <AdminDisabled />;
  if (state === "anonymous") redirect(`/admin/login?next=${encodeURIComponent(nextPath)}`);
  return null;
}
