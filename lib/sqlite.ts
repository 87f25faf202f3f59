import "server-only";
import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import path from "node:path";

export type Sqlite = Database.Database;

/** Opens (creating if needed) a SQLite file in WAL mode, with foreign keys on. */
export function openSqlite(file: string): Sqlite {
  if (file !== ":memory:") mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("foreign_keys = ON");
  // The server and a CLI run may share the file; wait for a writer instead of failing with SQLITE_BUSY.
  db.pragma("busy_timeout = 5000");
  db.pragma("synchronous = NORMAL");
  // SQLite copies the WAL back into the file (a checkpoint, with an fsync) inside the commit that crosses this many
  // pages, synchronously. At the default 1,000 pages (4 MB) that commit took 25–35 ms while a large dataset was
  // stored, stalling every other request for as long; at 256 (1 MB) it takes under 12 ms.
  db.pragma("wal_autocheckpoint = 256");
  return db;
}

type Shared = { db: Sqlite; prepared: Set<string> };

/**
 * The process's one connection to `file` (kept on globalThis across Next's dev reloads), shared by the app's own
 * tables and evaluation's. `prepare` (its schema) runs once per `tag` on it.
 */
export function sharedSqlite(file: string, tag: string, prepare: (db: Sqlite) => void): Sqlite {
  const g = globalThis as unknown as { __medgptSqlite?: Map<string, Shared> };
  const all = (g.__medgptSqlite ??= new Map());
  let shared = all.get(file);
  if (!shared) {
    shared = { db: openSqlite(file), prepared: new Set() };
    all.set(file, shared);
  }
  if (!shared.prepared.has(tag)) {
    prepare(shared.db);
    shared.prepared.add(tag);
  }
  return shared.db;
}
