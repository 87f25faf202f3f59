import "server-only";
import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { MIGRATIONS } from "./migrations";

export type Db = Database.Database;

/** Opens (creating if needed) a database file in WAL mode and brings its schema up to date. */
export function openDb(file: string): Db {
  if (file !== ":memory:") mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("foreign_keys = ON");
  // The server and a CLI run may share the file; wait for a writer instead of failing with SQLITE_BUSY.
  db.pragma("busy_timeout = 5000");
  db.pragma("synchronous = NORMAL");
  migrate(db);
  return db;
}

function migrate(db: Db): void {
  const current = db.pragma("user_version", { simple: true }) as number;
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

const opened = new Map<string, Db>();
/** One connection per file per process (also across Next's dev reloads, via globalThis). */
export function getDb(file: string): Db {
  const g = globalThis as unknown as { __medgptDbs?: Map<string, Db> };
  const cache = (g.__medgptDbs ??= opened);
  let db = cache.get(file);
  if (!db) {
    db = openDb(file);
    cache.set(file, db);
  }
  return db;
}
