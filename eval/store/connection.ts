import "server-only";
import type { Statement } from "better-sqlite3";
import { openSqlite, sharedSqlite, type Sqlite } from "@/lib/sqlite";
import { MIGRATIONS } from "./migrations";

export type Db = Sqlite;

/** Opens (creating if needed) a database file in WAL mode and brings its schema up to date. */
export function openDb(file: string): Db {
  const db = openSqlite(file);
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

/** The process's connection to `file`, migrated once (the same connection the app's security tables use). */
export function getDb(file: string): Db {
  return sharedSqlite(file, "evaluation", migrate);
}

const statements = new WeakMap<Db, Map<string, Statement>>();

/**
 * `db.prepare(sql)`, compiled once per connection. SQLite compiles a write together with every index and trigger it
 * maintains, so a statement run once per result (or per request) is worth keeping. Keep to fixed texts (a bounded
 * set), and give a statement one mode: raw() and pluck() stick to the kept statement.
 */
export function prepared(db: Db, sql: string): Statement {
  let kept = statements.get(db);
  if (!kept) statements.set(db, (kept = new Map()));
  let statement = kept.get(sql);
  if (!statement) kept.set(sql, (statement = db.prepare(sql)));
  return statement;
}
