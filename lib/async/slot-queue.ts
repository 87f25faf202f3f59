/**
 * A FIFO counting semaphore: at most `limit` holders at once; later requests wait in arrival order, at most
 * `queueLimit` of them. A waiter whose signal aborts leaves the queue and never starts. It guards the embedded
 * engine's context sequences and the cap on generations in flight (lib/security/ask-gate.ts).
 *
 * Why not p-limit (7.x): it queues without bound and has no per-task abort (only clearQueue for everything), while
 * the ask gate must refuse at once when the short queue is full (503 busy) and a client that goes away while
 * waiting must leave the queue without ever starting. Its promise pool would need both added around it.
 */

import { abortReason } from "./abort";

export type SlotStats = {
  limit: number;
  active: number;
  queued: number;
  /** Highest `active` seen since creation (or the last resetPeak). */
  peakActive: number;
  started: number;
  /** Waiters that left the queue because their signal aborted. */
  abandoned: number;
};

type Waiter = { grant: () => void };

export class QueueFullError extends Error {
  override name = "QueueFullError";
}

export class SlotQueue {
  private active = 0;
  private readonly waiters: Waiter[] = [];
  private peak = 0;
  private started = 0;
  private abandoned = 0;

  constructor(
    readonly limit: number,
    /** Most requests allowed to wait; more are refused with QueueFullError. */
    readonly queueLimit: number = Number.POSITIVE_INFINITY,
  ) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`slot limit must be a positive integer, got ${limit}`);
  }

  stats(): SlotStats {
    return {
      limit: this.limit,
      active: this.active,
      queued: this.waiters.length,
      peakActive: this.peak,
      started: this.started,
      abandoned: this.abandoned,
    };
  }

  resetPeak(): void {
    this.peak = this.active;
  }

  /** Resolves with a release function once a slot is free; rejects with the abort reason if `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (this.active < this.limit && this.waiters.length === 0) return Promise.resolve(this.take());
    if (this.waiters.length >= this.queueLimit) {
      return Promise.reject(new QueueFullError(`${this.waiters.length} requests are already waiting`));
    }
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const i = this.waiters.indexOf(waiter);
        if (i === -1) return; // already granted
        this.waiters.splice(i, 1);
        this.abandoned++;
        reject(abortReason(signal!));
      };
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve(this.take());
        },
      };
      this.waiters.push(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  private take(): () => void {
    this.active++;
    this.started++;
    this.peak = Math.max(this.peak, this.active);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      const next = this.waiters.shift();
      next?.grant();
    };
  }
}
