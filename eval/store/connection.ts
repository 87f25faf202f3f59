import "server-only";
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
