/**
 * Bookkeeping for the replies a stand-in sends slowly (streamed, delayed or hung): tests assert that a client's
 * abort reached the server, so every reply is counted exactly once as completed, aborted by the client, or ended
 * by the stand-in itself.
 */
import type http from "node:http";
import { Waiters, type StandinServer } from "./standin-core";

export type ReplyStats = { aborted: number; completed: number; active: number };

/** What the stand-ins that stream model replies (Ollama, OpenAI-compatible) offer whatever their protocol. */
export type StreamingStandin = {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  /** delay before each streamed chunk (so also the time to first token); applies to replies in flight too */
  setTokenDelay(ms: number): void;
  setModels(models: string[]): void;
  /**
   * generation counters. aborted: the client disconnected before the reply was complete (stream or not,
   * including hung requests); completed: reply fully sent; active: in flight.
   */
  stats: ReplyStats;
  /**
   * Resolves once an abort has been seen that no earlier waitForAbort call consumed, so
   * `it.abort(); await standin.waitForAbort()` works whichever happens first. Rejects after timeoutMs (default 5000).
   */
  waitForAbort(timeoutMs?: number): Promise<void>;
  /** Clears requests, zeroes aborted/completed and the waitForAbort bookkeeping. */
  reset(): void;
  /**
   * Undoes whatever a test changed: up again, no fault, the token delay and models (and other settings) it was
   * started with, and reset(). For a beforeEach, so that each test starts from the same stand-in.
   */
  restore(): Promise<void>;
  /** TCP connections accepted so far */
  connectionsOpened(): number;
  /** closes the server and all sockets */
  stop(): Promise<void>;
  /** "refuse connections": close the listener and every open socket; comeUp() reopens on the same port */
  goDown(): Promise<void>;
  comeUp(): Promise<void>;
};

/**
 * The part of a StreamingStandin that is plumbing: everything but the protocol's own settings, which
 * `restoreSettings` puts back (fault, models, ...) for restore(). Call it once the tracker has its start token delay.
 */
export function streamingPlumbing(
  server: StandinServer,
  tracker: ReplyTracker,
  requests: unknown[],
  restoreSettings: () => void,
) {
  const startTokenDelayMs = tracker.tokenDelayMs;
  const plumbing = {
    url: server.url,
    port: server.port,
    stats: tracker.stats,
    setTokenDelay: (ms: number) => tracker.setTokenDelay(ms),
    waitForAbort: (timeoutMs?: number) => tracker.waitForAbort(timeoutMs),
    reset() {
      requests.length = 0;
      tracker.reset();
    },
    async restore() {
      await server.comeUp();
      restoreSettings();
      tracker.setTokenDelay(startTokenDelayMs);
      plumbing.reset();
    },
    connectionsOpened: () => server.connectionsOpened,
    stop: () => server.stop(),
    goDown: () => server.goDown(),
    comeUp: () => server.comeUp(),
  } satisfies Omit<StreamingStandin, "setModels">;
  return plumbing;
}

export class TrackedReply {
  /** set just before the last byte is sent: closing after that is not an abort */
  finished = false;
  /** ended by the stand-in (fault, goDown, stop): not a client abort */
  killed = false;
  /** resolves when the response closes (client gone, killed, or ended) */
  readonly closed: Promise<void>;
  #cancelTimer: (() => void) | null = null;

  constructor(
    readonly res: http.ServerResponse,
    private readonly tokenDelayMs: () => number,
  ) {
    this.closed = new Promise<void>((resolve) =>
      res.on("close", () => {
        this.#cancelTimer?.();
        this.#cancelTimer = null;
        resolve();
      }),
    );
  }

  get alive(): boolean {
    return !this.res.destroyed && !this.killed && this.res.socket !== null;
  }

  /**
   * Produces `count` tokens one token delay apart, emit(i) sending token i (or only counting it, for a reply sent
   * whole at the end). False once the response is gone (client abort, kill): the caller sends nothing more.
   */
  async pace(count: number, emit: (i: number) => void | Promise<void>): Promise<boolean> {
    for (let i = 0; i < count; i++) {
      await this.#pause(this.tokenDelayMs());
      if (!this.alive) return false;
      await emit(i);
      if (!this.alive) return false;
    }
    return true;
  }

  /** Waits delayMs (0: one event-loop turn), or until the response closes. */
  #pause(delayMs: number): Promise<void> {
    return Promise.race([
      this.closed,
      new Promise<void>((resolve) => {
        if (delayMs > 0) {
          const t = setTimeout(resolve, delayMs);
          this.#cancelTimer = () => clearTimeout(t);
        } else {
          const t = setImmediate(resolve);
          this.#cancelTimer = () => clearImmediate(t);
        }
      }),
    ]);
  }

  /**
   * Cuts the connection without a proper end, as a crashing server does, once what was written reached the client.
   * Used before any output, it makes the client's fetch itself fail.
   */
  dieAfterFlush(): void {
    this.killed = true;
    setImmediate(() => this.res.socket?.destroy());
  }

  /** Resolves once the text is flushed to the socket (backpressure) or the response closed. */
  write(text: string): Promise<void> {
    return Promise.race([this.closed, new Promise<void>((resolve) => this.res.write(text, () => resolve()))]);
  }
}

export class ReplyTracker {
  readonly stats: ReplyStats = { aborted: 0, completed: 0, active: 0 };
  #tokenDelayMs = 0;
  readonly #live = new Set<TrackedReply>();
  readonly #aborts = new Waiters();
  #abortsConsumed = 0;

  /** `name` starts the waitForAbort timeout message, e.g. "ollama stand-in". */
  constructor(private readonly name: string) {}

  get tokenDelayMs(): number {
    return this.#tokenDelayMs;
  }

  setTokenDelay(ms: number): void {
    this.#tokenDelayMs = Math.max(0, ms);
  }

  track(res: http.ServerResponse): TrackedReply {
    const reply = new TrackedReply(res, () => this.#tokenDelayMs);
    this.#live.add(reply);
    this.stats.active += 1;
    res.on("close", () => {
      this.#live.delete(reply);
      this.stats.active -= 1;
      if (reply.finished) this.stats.completed += 1;
      else if (!reply.killed) {
        this.stats.aborted += 1;
        this.#aborts.notify();
      }
    });
    return reply;
  }

  /** Before the stand-in cuts its own connections, so they are not counted as client aborts. */
  killAll(): void {
    for (const reply of this.#live) reply.killed = true;
  }

  /**
   * Resolves once an abort has been seen that no earlier waitForAbort call consumed, so
   * `it.abort(); await standin.waitForAbort()` works whichever happens first.
   */
  waitForAbort(timeoutMs = 5000): Promise<void> {
    const consumed = () => {
      if (this.stats.aborted <= this.#abortsConsumed) return false;
      this.#abortsConsumed += 1;
      return true;
    };
    return this.#aborts.until(
      consumed,
      timeoutMs,
      () => new Error(`${this.name}: no client abort within ${timeoutMs} ms (stats ${JSON.stringify(this.stats)})`),
    );
  }

  /** Zeroes aborted/completed (active counts what is still in flight) and the waitForAbort bookkeeping. */
  reset(): void {
    this.stats.aborted = 0;
    this.stats.completed = 0;
    this.#abortsConsumed = 0;
  }
}
