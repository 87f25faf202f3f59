"use client";

import { useState, type FormEvent } from "react";
import { z } from "zod";
import type { ErrorBody } from "@/lib/schemas/ask";
import { ErrorPanel } from "@/components/ui/error-panel";
import { apiPost, errorBodyOf } from "./api";

const LoginResponseSchema = z.object({ ok: z.literal(true) });

export function LoginForm({ next }: { next: string }) {
  const [token, setToken] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorBody | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!token.trim()) {
      setError({ code: "invalid_request", message: "Enter the admin token.", fix: "Use the server's ADMIN_TOKEN." });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await apiPost("/api/admin/login", LoginResponseSchema, { token: token.trim() });
      // A full navigation, so that the server components see the new session cookie.
      window.location.assign(next);
    } catch (err) {
      setError(errorBodyOf(err));
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="space-y-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm" aria-label="Admin login">
      <div className="flex flex-col gap-1">
        <label htmlFor="admin-token" className="text-sm font-medium">
          Admin token
        </label>
        <input
          id="admin-token"
          name="token"
          type="password"
          autoComplete="current-password"
          autoFocus
          value={token}
          onChange={(e) => setToken(e.target.value)}
          aria-describedby="admin-token-hint"
          className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30"
        />
        <span id="admin-token-hint" className="text-xs text-slate-500">
          The server&apos;s ADMIN_TOKEN. The session lasts 8 hours.
        </span>
      </div>
      <button
        type="submit"
        disabled={busy}
        className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700 focus:outline-none focus:ring-2 focus:ring-brand-600/40 disabled:opacity-50"
      >
        {busy ? "Logging in…" : "Log in"}
      </button>
      {error ? <ErrorPanel error={error} /> : null}
    </form>
  );
}
