import "server-only";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { SecurityDb } from "./db";

/** An integrator's API key as the admin sees it; the key itself is shown once, at creation, and stored hashed. */
export type ApiKeyView = {
  id: string;
  name: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
  requestCount: number;
};

const hash = (key: string) => createHash("sha256").update(key).digest("hex");

type Row = {
  id: string;
  name: string;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
  request_count: number;
};
const view = (r: Row): ApiKeyView => ({
  id: r.id,
  name: r.name,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
  lastUsedAt: r.last_used_at,
  requestCount: r.request_count,
});

/** A new key: "mgk_" and 32 random bytes (base64url). */
export function createApiKey(db: SecurityDb, name: string): ApiKeyView & { key: string } {
  const key = `mgk_${randomBytes(32).toString("base64url")}`;
  const id = `key_${randomUUID().slice(0, 8)}`;
  db.prepare(`INSERT INTO api_keys (id, name, key_hash, created_at) VALUES (?, ?, ?, ?)`).run(
    id,
    name,
    hash(key),
    new Date().toISOString(),
  );
  return { ...view(db.prepare(`SELECT * FROM api_keys WHERE id = ?`).get(id) as Row), key };
}

export function listApiKeys(db: SecurityDb): ApiKeyView[] {
  return (db.prepare(`SELECT * FROM api_keys ORDER BY created_at DESC`).all() as Row[]).map(view);
}

/** Revokes a key; false when there is no such key. Revoking twice keeps the first time. */
export function revokeApiKey(db: SecurityDb, id: string): ApiKeyView | null {
  db.prepare(`UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?`).run(new Date().toISOString(), id);
  const row = db.prepare(`SELECT * FROM api_keys WHERE id = ?`).get(id) as Row | undefined;
  return row ? view(row) : null;
}

/** The key's id when it is a live key, counting this use; null for an unknown or revoked key. */
export function spendApiKey(db: SecurityDb, key: string): string | null {
  const row = db.prepare(`SELECT id, revoked_at FROM api_keys WHERE key_hash = ?`).get(hash(key)) as
    { id: string; revoked_at: string | null } | undefined;
  if (!row || row.revoked_at !== null) return null;
  db.prepare(`UPDATE api_keys SET last_used_at = ?, request_count = request_count + 1 WHERE id = ?`).run(
    new Date().toISOString(),
    row.id,
  );
  return row.id;
}
