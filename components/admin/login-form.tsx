"use client";

import { useState, type FormEvent } from "react";
import type { ErrorBody } from "@/lib/schemas/ask";
import { Button } from "@/components/ui/button";
import { ProblemPanel } from "./problem";
import { Field } from "@/components/ui/field";
import { TextInput } from "@/components/ui/inputs";
import { literal, object, reader } from "@/lib/schemas/read";
import { apiPost, errorBodyOf } from "./api";

const LoginResponseReader = reader("The login answer", object({ ok: literal(true) }));

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
      await apiPost("/api/admin/login", LoginResponseReader, { token: token.trim() });
      // A full navigation, so that the server components see the new session cookie.
      window.location.assign(next);
    } catch (err) {
      setError(errorBodyOf(err));
      setBusy(false);
    }
  }

  return (
    <form
      onSubmit={submit}
      className="space-y-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm"
      aria-label="Admin login"
    >
      <Field id="admin-token" label="Admin token" hint="The server's ADMIN_TOKEN. The session lasts 8 hours.">
        {(control) => (
          <TextInput
            {...control}
            name="token"
            type="password"
            autoComplete="current-password"
            autoFocus
            value={token}
            onChange={(e) => setToken(e.target.value)}
          />
        )}
      </Field>
      <Button type="submit" variant="primary" disabled={busy}>
        {busy ? "Logging in…" : "Log in"}
      </Button>
      {error ? <ProblemPanel error={error} /> : null}
    </form>
  );
}
