"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";

export function LogoutButton() {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  async function logout() {
    setBusy(true);
    try {
      await fetch("/api/admin/logout", { method: "POST" });
    } finally {
      // The refresh re-renders the admin layout too, which then no longer offers the session's links.
      router.replace("/admin/login");
      router.refresh();
      setBusy(false);
    }
  }
  return (
    <button
      type="button"
      onClick={logout}
      disabled={busy}
      className="rounded-md border border-slate-300 bg-white px-3 py-1 text-xs font-semibold text-slate-700 hover:bg-slate-100 focus:outline-none focus:ring-2 focus:ring-brand-600/40 disabled:opacity-50"
    >
      Log out
    </button>
  );
}
