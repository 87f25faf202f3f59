import "server-only";
import type { SecurityDb } from "./db";

/** Admin actions worth a record: who did what to what, and when. Case text never goes here. */
export type AuditAction =
  | "login"
  | "login_failed"
  | "logout"
  | "run_start"
  | "run_cancel"
  | "run_resume"
  | "run_label"
  | "dataset_upload"
  | "key_create"
  | "key_revoke";

export type AuditEntry = {
  id: number;
  at: string;
  action: AuditAction;
  actor: string;
  target: string | null;
  detail: string | null;
};

export function audit(
  db: SecurityDb,
  e: { action: AuditAction; actor: string; target?: string | null; detail?: string | null },
): void {
  db.prepare(`INSERT INTO audit_log (at, action, actor, target, detail) VALUES (?, ?, ?, ?, ?)`).run(
    new Date().toISOString(),
    e.action,
    e.actor,
    e.target ?? null,
    e.detail ?? null,
  );
}

export function recentAudit(db: SecurityDb, limit = 200): AuditEntry[] {
  return db.prepare(`SELECT * FROM audit_log ORDER BY id DESC LIMIT ?`).all(limit) as AuditEntry[];
}
