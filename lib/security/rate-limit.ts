import "server-only";

/**
 * In-memory fixed-window counters, per process. Enough for one server; several replicas each count on their own
 * (documented in the README's Security section), which loosens a limit by the replica count but never blocks
 * a legitimate user wrongly.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Counts one event for `key`; whether it is over the limit, and how long until the window resets. */
  hit(key: string, now = Date.now()): { limited: boolean; retryAfterS: number } {
    this.sweep(now);
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    w.count += 1;
    return {
      limited: w.count > this.limit,
      retryAfterS: Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000)),
    };
  }

  /** Whether `key` is already over the limit, without counting. */
  peek(key: string, now = Date.now()): { limited: boolean; retryAfterS: number } {
    const w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) return { limited: false, retryAfterS: 0 };
    return {
      limited: w.count >= this.limit,
      retryAfterS: Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000)),
    };
  }

  reset(key: string): void {
    this.windows.delete(key);
  }

  private sweep(now: number): void {
    if (this.windows.size < 10_000) return;
    for (const [k, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(k);
  }
}

/** A limiter kept on globalThis (one per name across Next's dev reloads). */
export function limiter(name: string, limit: number, windowMs: number): RateLimiter {
  const g = globalThis as unknown as { __medgptLimiters?: Map<string, RateLimiter> };
  const all = (g.__medgptLimiters ??= new Map());
  let l = all.get(name);
  if (!l || l.limit !== limit || l.windowMs !== windowMs) {
    l = new RateLimiter(limit, windowMs);
    all.set(name, l);
  }
  return l;
}

/**
 * The client's address. Behind a reverse proxy (MEDGPT_TRUST_PROXY=true) the left-most X-Forwarded-For entry,
 * which the proxy sets; otherwise the connection's own address, which lib/security/client-address.ts writes into
 * X-Forwarded-For at the server's edge, over anything the client sent. "unknown" in-process (tests).
 */
export function clientAddress(request: Request, trustProxy: boolean): string {
  const xff = request.headers.get("x-forwarded-for");
  if (!xff) return "unknown";
  const entries = xff
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return (trustProxy ? entries[0] : entries.at(-1)) ?? "unknown";
}
