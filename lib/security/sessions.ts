import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { SecurityDb } from "./db";

/** How long an admin session lives; enforced by the server, not only by the cookie's Max-Age. */
export const SESSION_SECONDS = 8 * 60 * 60;

const hash = (id: string) => createHash("sha256").update(id).digest("hex");

/**
 * A new session: 32 random bytes, returned once for the cookie and stored only as its sha256, so a copy of the
 * database does not hold usable sessions. Every login makes a new one (the id rotates).
 */
export function createSession(db: SecurityDb, now = Date.now()): { id: string; expiresAt: number } {
  const id = randomBytes(32).toString("hex");
  const expiresAt = now + SESSION_SECONDS * 1000;
  db.prepare(`INSERT INTO admin_sessions (id_hash, created_at, expires_at) VALUES (?, ?, ?)`).run(
    hash(id),
    now,
    expiresAt,
  );
  return { id, expiresAt };
}

export function isLiveSession(db: SecurityDb, id: string, now = Date.now()): boolean {
  if (!/^[0-9a-f]{64}$/.test(id)) return false;
  const row = db.prepare(`SELECT expires_at, revoked_at FROM admin_sessions WHERE id_hash = ?`).get(hash(id)) as
    { expires_at: number; revoked_at: number | null } | undefined;
  return !!row && row.revoked_at === null && row.expires_at > now;
}

/** Logout: this session only; others (another browser) stay signed in. */
export function revokeSession(db: SecurityDb, id: string, now = Date.now()): void {
  db.prepare(`UPDATE admin_sessions SET revoked_at = ? WHERE id_hash = ? AND revoked_at IS NULL`).run(now, hash(id));
}

/** Ends a session early (tests; an operator's clean-up): sets its expiry to `at`. */
export function expireSession(db: SecurityDb, id: string, at: number): void {
  db.prepare(`UPDATE admin_sessions SET expires_at = ? WHERE id_hash = ?`).run(at, hash(id));
}
