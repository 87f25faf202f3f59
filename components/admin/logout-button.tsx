"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";

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
    <Button size="xs" onClick={logout} disabled={busy} className="text-slate-700">
      Log out
    </Button>
  );
}
