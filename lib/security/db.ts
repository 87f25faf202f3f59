import "server-only";
import { sharedSqlite, type Sqlite } from "@/lib/sqlite";

export type SecurityDb = Sqlite;

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

/** The process's connection to `file` (shared with evaluation's store), with these tables created once. */
export function getSecurityDb(file: string): SecurityDb {
  return sharedSqlite(file, "security", (db) => db.exec(SCHEMA));
}
