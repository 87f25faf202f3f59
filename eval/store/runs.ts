import "server-only";
import { randomUUID } from "node:crypto";
import os from "node:os";
import { RESUMABLE_STATUSES, type MirrorStatus, type RunStatus } from "@/eval/domain";
import type { RunConfig } from "@/eval/runner/run-config";
import { prepared, type Db } from "./connection";

export type { MirrorStatus };

export type RunRow = {
  id: string;
  datasetId: string;
  status: RunStatus;
  config: RunConfig;
  itemIdxs: number[];
  /** items × models */
  total: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  ownerPid: number | null;
  heartbeatAt: number | null;
  mirrorStatus: MirrorStatus;
  mirrorError: string | null;
  weaveUrl: string | null;
  /** A researcher's name and notes for the run; null until given. */
  name: string | null;
  notes: string | null;
  /** Who started it: "dashboard", "API (admin token)", "CLI"; null on runs created before this was kept. */
  createdBy: string | null;
};

type Raw = {
  id: string;
  dataset_id: string;
  status: RunStatus;
  config_json: string;
  item_idxs_json: string;
  total: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  error: string | null;
  owner_pid: number | null;
  heartbeat_at: number | null;
  mirror_status: MirrorStatus;
  mirror_error: string | null;
  weave_url: string | null;
  name: string | null;
  notes: string | null;
  created_by: string | null;
};
const toRun = (r: Raw): RunRow => ({
  id: r.id,
  datasetId: r.dataset_id,
  status: r.status,
  config: JSON.parse(r.config_json) as RunConfig,
  itemIdxs: JSON.parse(r.item_idxs_json) as number[],
  total: r.total,
  createdAt: r.created_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  error: r.error,
  ownerPid: r.owner_pid,
  heartbeatAt: r.heartbeat_at,
  mirrorStatus: r.mirror_status,
  mirrorError: r.mirror_error,
  weaveUrl: r.weave_url,
  name: r.name,
  notes: r.notes,
  createdBy: r.created_by,
});

export function createRun(
  db: Db,
  r: { datasetId: string; config: RunConfig; itemIdxs: number[]; mirror: boolean; createdBy?: string },
): RunRow {
  const id = `run_${new Date().toISOString().slice(0, 10).replace(/-/g, "")}_${randomUUID().slice(0, 6)}`;
  db.prepare(
    `INSERT INTO runs (id, dataset_id, status, config_json, item_idxs_json, total, created_at, mirror_status, created_by)
     VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, ?)`,
  ).run(
    id,
    r.datasetId,
    JSON.stringify(r.config),
    JSON.stringify(r.itemIdxs),
    r.itemIdxs.length * r.config.models.length,
    new Date().toISOString(),
    r.mirror ? "pending" : "disabled",
    r.createdBy ?? null,
  );
  return getRun(db, id)!;
}

/** Sets the run's name and notes (undefined leaves one as it is; null or "" clears it). */
export function labelRun(db: Db, id: string, label: { name?: string | null; notes?: string | null }): void {
  const clean = (v: string | null | undefined) => (v === undefined ? undefined : v?.trim() || null);
  const name = clean(label.name);
  const notes = clean(label.notes);
  if (name !== undefined) db.prepare(`UPDATE runs SET name = ? WHERE id = ?`).run(name, id);
  if (notes !== undefined) db.prepare(`UPDATE runs SET notes = ? WHERE id = ?`).run(notes, id);
}

export function getRun(db: Db, id: string): RunRow | null {
  const r = prepared(db, `SELECT * FROM runs WHERE id = ?`).get(id) as Raw | undefined;
  return r ? toRun(r) : null;
}

export function listRuns(db: Db, limit = 100): RunRow[] {
  return (db.prepare(`SELECT * FROM runs ORDER BY created_at DESC LIMIT ?`).all(limit) as Raw[]).map(toRun);
}

/** Runs that were queued or running when their process stopped: candidates for resume. */
export function unfinishedRuns(db: Db): RunRow[] {
  return (
    db.prepare(`SELECT * FROM runs WHERE status IN ('queued', 'running') ORDER BY created_at`).all() as Raw[]
  ).map(toRun);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

export const HEARTBEAT_STALE_MS = 30_000;
/** This process, as a run owner: a random id (process ids repeat across containers and restarts) and its host. */
export const OWNER = { id: randomUUID(), host: os.hostname(), pid: process.pid };

/**
 * Takes ownership of a queued or running run for this process. Another owner keeps it while its heartbeat is
 * fresh, unless it is on this host and its process is gone (a crash: take over at once). So a server and a CLI,
 * or two containers, never execute the same run twice.
 */
export function claimRun(db: Db, id: string): boolean {
  return db
    .transaction(() => {
      const row = db
        .prepare(`SELECT status, owner_id, owner_host, owner_pid, heartbeat_at FROM runs WHERE id = ?`)
        .get(id) as
        | {
            status: RunStatus;
            owner_id: string | null;
            owner_host: string | null;
            owner_pid: number | null;
            heartbeat_at: number | null;
          }
        | undefined;
      if (!row || (row.status !== "queued" && row.status !== "running")) return false;
      const other = row.owner_id !== null && row.owner_id !== OWNER.id;
      const fresh = row.heartbeat_at !== null && Date.now() - row.heartbeat_at < HEARTBEAT_STALE_MS;
      const deadHere = row.owner_host === OWNER.host && row.owner_pid !== null && !processAlive(row.owner_pid);
      if (other && fresh && !deadHere) return false;
      db.prepare(
        `UPDATE runs SET status = 'running', owner_id = ?, owner_host = ?, owner_pid = ?, heartbeat_at = ?,
         started_at = COALESCE(started_at, ?) WHERE id = ?`,
      ).run(OWNER.id, OWNER.host, OWNER.pid, Date.now(), new Date().toISOString(), id);
      return true;
    })
    .immediate();
}

/** Refreshes our claim; false when the run is no longer ours (taken over, or ended elsewhere). */
export function heartbeat(db: Db, id: string): boolean {
  return (
    db.prepare(`UPDATE runs SET heartbeat_at = ? WHERE id = ? AND owner_id = ?`).run(Date.now(), id, OWNER.id).changes >
    0
  );
}

/** Ends our execution of a run; a status set meanwhile by someone else (a cancel) is kept. */
export function finishRun(db: Db, id: string, status: RunStatus, error: string | null = null): void {
  db.prepare(
    `UPDATE runs SET status = CASE WHEN status = 'cancelled' THEN status ELSE ? END, error = ?, finished_at = ?,
       owner_id = NULL, owner_pid = NULL WHERE id = ? AND owner_id = ?`,
  ).run(status, error, new Date().toISOString(), id, OWNER.id);
}

/** Whether some process is executing the run right now (its heartbeat is fresh). */
export function isExecuting(run: RunRow): boolean {
  return run.status === "running" && run.heartbeatAt !== null && Date.now() - run.heartbeatAt < HEARTBEAT_STALE_MS;
}

/** Puts a stopped run back in the queue; its recorded results stay, failed items are generated again. */
export function requeueRun(db: Db, id: string): boolean {
  const placeholders = RESUMABLE_STATUSES.map(() => "?").join(", ");
  const r = db
    .prepare(
      `UPDATE runs SET status = 'queued', finished_at = NULL, error = NULL WHERE id = ? AND status IN (${placeholders})`,
    )
    .run(id, ...RESUMABLE_STATUSES);
  return r.changes > 0;
}

/** Marks a run cancelled; the process executing it sees this on its next heartbeat and stops. */
export function requestCancel(db: Db, id: string): RunRow | null {
  db.prepare(
    `UPDATE runs SET status = 'cancelled', finished_at = COALESCE(finished_at, ?) WHERE id = ? AND status IN ('queued', 'running', 'interrupted')`,
  ).run(new Date().toISOString(), id);
  return getRun(db, id);
}

export function setMirror(
  db: Db,
  id: string,
  status: MirrorStatus,
  detail: { error?: string | null; url?: string | null } = {},
): void {
  // A link is shown only for a mirror that succeeded; an older one would point at stale results.
  db.prepare(`UPDATE runs SET mirror_status = ?, mirror_error = ?, weave_url = ? WHERE id = ?`).run(
    status,
    detail.error ?? null,
    status === "mirrored" ? (detail.url ?? null) : null,
    id,
  );
}

/** Just the status: the executor reads it every heartbeat. */
export function getRunStatus(db: Db, id: string): RunStatus | null {
  return (
    (db.prepare(`SELECT status FROM runs WHERE id = ?`).get(id) as { status: RunStatus } | undefined)?.status ?? null
  );
}

/**
 * The run's revision: bumped (by triggers, in the same transaction) at every write to its results or verdicts,
 * whichever process makes it. Whatever is computed from those at one revision stays current while it stands.
 */
export function runRevision(db: Db, id: string): number {
  return (
    (prepared(db, `SELECT revision FROM run_revisions WHERE run_id = ?`).get(id) as { revision: number } | undefined)
      ?.revision ?? 0
  );
}
