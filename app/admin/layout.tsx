import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { currentAdminState } from "@/components/admin/admin-gate";
import { LogoutButton } from "@/components/admin/logout-button";

export const metadata: Metadata = { title: "MedGPT dashboard" };

const linkClass =
  "text-sm text-slate-600 hover:text-slate-900 focus:outline-none focus:ring-2 focus:ring-brand-600/40 rounded";

export default async function AdminLayout({ children }: { children: ReactNode }) {
  const state = await currentAdminState();
  return (
    <>
      <div className="border-b border-slate-200 bg-white/70">
        <nav className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-5 gap-y-2 px-4 py-2" aria-label="Dashboard">
          <span className="text-xs font-semibold uppercase tracking-wide text-slate-500">Researchers</span>
          <Link href="/admin" className={linkClass}>
            Dashboard
          </Link>
          {state === "admin" ? (
            <>
              <Link href="/admin/runs/new" className={linkClass}>
                New run
              </Link>
              <Link href="/admin/compare" className={linkClass}>
                Compare
              </Link>
              <Link href="/admin/keys" className={linkClass}>
                API keys
              </Link>
              <Link href="/admin/audit" className={linkClass}>
                Audit log
              </Link>
              <span className="ml-auto">
                <LogoutButton />
              </span>
            </>
          ) : null}
        </nav>
      </div>
      {children}
    </>
  );
}
