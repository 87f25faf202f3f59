"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { DataTable, type Column } from "@/components/ui/data-table";
import type { AuditEntry as ServerAuditEntry } from "@/lib/security/audit";
import { array, nullable, number, object, reader, string, type Shape } from "@/lib/schemas/read";
import { apiJson, errorBodyOf } from "./api";
import { localDateTime, runHref } from "./format";
import { ErrorPanel } from "@/components/ui/error-panel";

// The admin audit log (GET /api/audit), newest first, each action in plain words.

// `action` stays a string: an action this page does not know yet is shown by its name rather than failing the page.
export type AuditEntry = Omit<ServerAuditEntry, "action"> & { action: string };
const auditEntryShape: Shape<AuditEntry> = object({
  id: number,
  at: string,
  action: string,
  actor: string,
  target: nullable(string),
  detail: nullable(string),
});
const AuditListReader = reader("The audit log", object({ entries: array(auditEntryShape) }));

/** Date and time to the second, in the reader's locale and time zone. Call on the client only. */
export function auditTime(iso: string): string {
  return localDateTime(iso, "second");
}

const quoted = (s: string | null) => (s ? `“${s}”` : "");
const run = (id: string | null): ReactNode =>
  id ? (
    <Link href={runHref(id)} className="font-medium text-brand-700 underline">
      {id}
    </Link>
  ) : (
    "(unknown run)"
  );
const withDetail = (detail: string | null) => (detail ? ` (${detail})` : "");

/** What happened, as a sentence. */
export function auditWords(e: AuditEntry): ReactNode {
  switch (e.action) {
    case "login":
      return `Signed in${e.detail ? ` from ${e.detail}` : ""}`;
    case "login_failed":
      return `Failed login from ${e.actor}`;
    case "logout":
      return "Signed out";
    case "run_start":
      return (
        <>
          Started run {run(e.target)}
          {withDetail(e.detail)}
        </>
      );
    case "run_cancel":
      return <>Cancelled run {run(e.target)}</>;
    case "run_resume":
      return <>Resumed run {run(e.target)}</>;
    case "run_label":
      return <>Changed the name or notes of run {run(e.target)}</>;
    case "dataset_upload":
      return `Uploaded dataset ${e.detail ?? e.target ?? ""}`.trim();
    case "key_create":
      return `Created API key ${quoted(e.detail) || (e.target ?? "")}`.trim();
    case "key_revoke":
      return `Revoked API key ${quoted(e.detail) || (e.target ?? "")}`.trim();
    default:
      return `${e.action.replace(/_/g, " ")}${e.target ? ` ${e.target}` : ""}${withDetail(e.detail)}`;
  }
}

/** Who did it, in plain words; a failed login has no one behind it yet. */
export function auditActor(e: AuditEntry): string {
  if (e.action === "login_failed") return "Not signed in";
  if (e.actor === "admin session") return "Researcher (dashboard)";
  if (e.actor === "admin token (API)") return "Script (admin token)";
  return e.actor;
}

const COLUMNS: Column[] = [{ label: "When" }, { label: "What happened" }, { label: "By" }];

export function AuditLog() {
  const { data, error, isPending, isFetching, refetch } = useQuery({
    queryKey: ["audit"],
    queryFn: () => apiJson("/api/audit", AuditListReader),
  });
  if (error) return <ErrorPanel error={errorBodyOf(error)} />;
  if (isPending) return <p className="text-sm text-slate-500">Loading the audit log…</p>;
  // The server answers newest first; ids only grow, so sorting by them keeps that whatever the clocks did.
  const entries = [...data.entries].sort((a, b) => b.id - a.id);
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-slate-600" data-testid="audit-count">
          {entries.length === 0
            ? "Nothing recorded yet."
            : `The latest ${entries.length === 1 ? "action" : `${entries.length} actions`}, newest first.`}
        </p>
        <Button size="sm" onClick={() => void refetch()} disabled={isFetching}>
          {isFetching ? "Refreshing…" : "Refresh"}
        </Button>
      </div>
      {entries.length > 0 ? (
        <DataTable
          testId="audit-table"
          caption="Audit log, newest first"
          columns={COLUMNS}
          minWidth="min-w-[560px]"
          busy={isFetching}
        >
          {entries.map((e) => (
            <tr key={e.id} data-testid="audit-row" data-action={e.action}>
              <td className="px-3 py-2 text-xs whitespace-nowrap">
                <time dateTime={e.at}>{auditTime(e.at)}</time>
              </td>
              <td className="px-3 py-2" data-testid="audit-what">
                {auditWords(e)}
              </td>
              <td className="px-3 py-2 text-xs text-slate-600">{auditActor(e)}</td>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </div>
  );
}
