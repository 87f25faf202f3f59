/**
 * Plumbing shared by the stand-in servers (Ollama, OpenAI-compatible, Groq, registry, Hugging Face, Weave), so each
 * stand-in file holds only what is specific to its protocol.
 */
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

export const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === "object" && x !== null && !Array.isArray(x);

/** Thrown by a handler to answer `status`; a string body is also the message, so text-only stand-ins can use it. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(typeof body === "string" ? body : JSON.stringify(body));
  }
}

/** The request body as text. Past maxBytes it rejects with a 413 and drops the connection rather than buffer on. */
export function readBody(req: http.IncomingMessage, maxBytes = Infinity): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on("data", (b: Buffer) => {
      size += b.length;
      if (size > maxBytes) {
        reject(new HttpError(413, "request body too large"));
        req.destroy();
        return;
      }
      parts.push(b);
    });
    req.on("end", () => resolve(Buffer.concat(parts).toString("utf8")));
    req.on("error", reject);
  });
}

/** What the stand-ins record as a request's body: undefined when empty, the raw text when it is not JSON. */
export function parseJsonOrText(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** `headers` may override the content type; `head` sends the headers of the reply without its body. */
export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  head = false,
) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(head ? undefined : text);
}

/**
 * A switchable fault. Persistent until changed, or limited to the next `times` uses, after which it switches itself
 * back to `off`.
 */
export class FaultSwitch<F extends { kind: string }> {
  #fault: F;
  #left = Infinity;

  constructor(private readonly off: F) {
    this.#fault = off;
  }

  get current(): F {
    return this.#fault;
  }

  /** null while off or unlimited */
  get timesLeft(): number | null {
    return this.#fault.kind === this.off.kind || this.#left === Infinity ? null : this.#left;
  }

  set(fault: F, times?: number): void {
    this.#fault = fault;
    this.#left = times === undefined ? Infinity : Math.max(1, Math.trunc(times));
  }

  reset(): void {
    this.set(this.off);
  }

  /** The fault for this request, counting one use. */
  take(): F {
    const f = this.#fault;
    if (f.kind !== this.off.kind && --this.#left <= 0) this.reset();
    return f;
  }

  /** Like take, but only a fault of one of `kinds` is used up; other requests leave it for the ones it is meant for. */
  takeIf<K extends F["kind"]>(...kinds: K[]): Extract<F, { kind: K }> | null {
    return kinds.includes(this.#fault.kind as K) ? (this.take() as Extract<F, { kind: K }>) : null;
  }
}

/** Promises that settle once a condition holds, re-checked on each notify(); each rejects after its timeout. */
export class Waiters {
  readonly #checks = new Set<() => void>();

  notify(): void {
    for (const check of [...this.#checks]) check();
  }

  until(ready: () => boolean, timeoutMs: number, timeoutError: () => Error): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!ready()) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(timeoutError());
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.#checks.delete(check);
      };
      this.#checks.add(check);
      check();
    });
  }
}

export type StandinServerOptions = {
  /** default 127.0.0.1 */
  host?: string;
  /** 0 = random (default) */
  port?: number;
  /** Runs before the sockets are cut on goDown/stop, e.g. so in-flight replies are not counted as client aborts. */
  beforeClose?: () => void;
};

/**
 * A node:http server that knows its open sockets, so stop() and goDown() also cut keep-alive and hung connections
 * (server.close() alone waits for them), and that comeUp() reopens on the same port.
 */
export class StandinServer {
  readonly host: string;
  port: number;
  #server: http.Server | null = null;
  #down = false;
  readonly #sockets = new Set<Socket>();
  /** TCP connections accepted since start: a client that reuses its keep-alive connection opens one. */
  connectionsOpened = 0;

  private constructor(
    private readonly handler: http.RequestListener,
    private readonly opts: StandinServerOptions,
  ) {
    this.host = opts.host ?? "127.0.0.1";
    this.port = opts.port ?? 0;
  }

  static async start(handler: http.RequestListener, opts: StandinServerOptions = {}): Promise<StandinServer> {
    const s = new StandinServer(handler, opts);
    await s.#listen();
    return s;
  }

  /** http://HOST:PORT, with a wildcard bind address replaced by one a client can connect to */
  get url(): string {
    return `http://${this.host === "0.0.0.0" || this.host === "::" ? "127.0.0.1" : this.host}:${this.port}`;
  }

  async #listen(): Promise<void> {
    const s = http.createServer(this.handler);
    s.keepAliveTimeout = 5_000;
    // Hung-request faults must stay hung until the client gives up.
    s.requestTimeout = 0;
    s.on("connection", (sock) => {
      this.connectionsOpened++;
      this.#sockets.add(sock);
      sock.on("close", () => this.#sockets.delete(sock));
    });
    for (let attempt = 0; ; attempt++) {
      try {
        await new Promise<void>((resolve, reject) => {
          s.once("error", reject);
          s.listen(this.port, this.host, () => {
            s.off("error", reject);
            resolve();
          });
        });
        break;
      } catch (err) {
        // Coming back up on a fixed port: the old listener may not have released it yet.
        if ((err as NodeJS.ErrnoException).code === "EADDRINUSE" && this.port !== 0 && attempt < 20 && this.#down) {
          await new Promise((r) => setTimeout(r, 50));
          continue;
        }
        throw err;
      }
    }
    this.#server = s;
    this.port = (s.address() as AddressInfo).port;
  }

  /** "Connection refused" until comeUp(): closes the listener and every open socket. */
  async goDown(): Promise<void> {
    this.#down = true;
    this.opts.beforeClose?.();
    const s = this.#server;
    this.#server = null;
    for (const sock of this.#sockets) sock.destroy();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    // Give in-process clients (undici's keep-alive pool) a moment to see their sockets closed, so the next request
    // opens a new connection and gets ECONNREFUSED instead of failing on a dead pooled socket ("other side closed").
    await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setImmediate(r)); // ensure an I/O poll phase ran after the timer
  }

  async comeUp(): Promise<void> {
    if (this.#server) return;
    await this.#listen();
    this.#down = false;
  }

  stop(): Promise<void> {
    return this.goDown();
  }
}
