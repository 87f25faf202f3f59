import "server-only";
import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import path from "node:path";

export type SecurityDb = Database.Database;

/**
 * The app's own security tables (sessions, API keys, the audit log), in the same SQLite file as evaluation's data
 * but created here: lib/ cannot use evaluation's store, and these tables are not evaluation's. Idempotent
 * `IF NOT EXISTS` statements keep them independent of evaluation's migration counter (PRAGMA user_version).
 */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS admin_sessions (
    id_hash     TEXT PRIMARY KEY,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    revoked_at  INTEGER
  );
  CREATE TABLE IF NOT EXISTS api_keys (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    key_hash       TEXT NOT NULL UNIQUE,
    created_at     TEXT NOT NULL,
    revoked_at     TEXT,
    last_used_at   TEXT,
    request_count  INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE IF NOT EXISTS audit_log (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      TEXT NOT NULL,
    action  TEXT NOT NULL,
    actor   TEXT NOT NULL,
    target  TEXT,
    detail  TEXT
  );
`;

export function openSecurityDb(file: string): SecurityDb {
  if (file !== ":memory:") mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("busy_timeout = 5000");
  db.exec(SCHEMA);
  return db;
}

/** One connection per file per process (kept across Next's dev reloads). */
export function getSecurityDb(file: string): SecurityDb {
  const g = globalThis as unknown as { __medgptSecurityDbs?: Map<string, SecurityDb> };
  const cache = (g.__medgptSecurityDbs ??= new Map());
  let db = cache.get(file);
  if (!db) {
    db = openSecurityDb(file);
    cache.set(file, db);
  }
  return db;
}
