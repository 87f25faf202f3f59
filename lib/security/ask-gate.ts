import "server-only";
import type { AppConfig } from "@/lib/config";
import { QueueFullError, SlotQueue } from "@/lib/async/slot-queue";
import { AppError } from "@/lib/errors";
import { readGenerationSlots } from "@/lib/observability/metrics";
import { spendApiKey } from "./api-keys";
import { getSecurityDb } from "./db";
import { clientAddress, limiter } from "./rate-limit";

export type AskCaller = { kind: "anonymous"; address: string } | { kind: "key"; keyId: string };

/**
 * Who may ask, and how often. Before any stream starts: an Authorization bearer must be a live API key (401
 * invalid_api_key otherwise, even where anonymous use is allowed); without one, anonymous use must be open
 * (MEDGPT_ASK_REQUIRE_KEY). Then the caller's per-minute budget: per key, or per client address (429 + Retry-After).
 */
export function admitCaller(request: Request, config: AppConfig): AskCaller {
  const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.get("authorization") ?? "")?.[1]?.trim();
  let caller: AskCaller;
  if (bearer) {
    const keyId = spendApiKey(getSecurityDb(config.dbPath), bearer);
    if (!keyId) throw new AppError("invalid_api_key", "This API key is not valid (unknown or revoked).");
    caller = { kind: "key", keyId };
  } else {
    if (config.askRequireKey)
      throw new AppError("api_key_required", "This server answers only requests with an API key.");
    caller = { kind: "anonymous", address: clientAddress(request, config.trustProxy) };
  }
  const [limit, key] =
    caller.kind === "key"
      ? [config.keyRateLimit, `key:${caller.keyId}`]
      : [config.askRateLimit, `ip:${caller.address}`];
  if (limit > 0) {
    const verdict = limiter(`ask-${caller.kind}`, limit, 60_000).hit(key);
    if (verdict.limited) {
      throw new AppError("rate_limited", `More than ${limit} questions a minute; wait a moment.`, {
        retryAfterS: verdict.retryAfterS,
      });
    }
  }
  return caller;
}

/**
 * Generations in flight, at most `max`; up to `queueLength` more wait in arrival order for at most `maxWaitMs`
 * (the shared FIFO semaphore). A waiter whose client leaves is dropped from the queue. Beyond the queue, or after
 * the wait → 503 busy.
 */
export class GenerationSlots {
  private readonly queue: SlotQueue;
  constructor(
    readonly max: number,
    queueLength: number,
    readonly maxWaitMs: number,
  ) {
    this.queue = new SlotQueue(max, queueLength);
  }

  async acquire(signal: AbortSignal): Promise<() => void> {
    const waited = AbortSignal.timeout(this.maxWaitMs);
    try {
      return await this.queue.acquire(AbortSignal.any([signal, waited]));
    } catch (err) {
      if (err instanceof QueueFullError || (waited.aborted && !signal.aborted)) throw busy();
      throw err;
    }
  }

  get inFlight(): number {
    return this.queue.stats().active;
  }

  get queued(): number {
    return this.queue.stats().queued;
  }
}

const busy = () =>
  new AppError("busy", "The server is answering as many questions as it can right now.", { retryAfterS: 5 });

/**
 * The process's slots (on globalThis across dev reloads), sized by MEDGPT_ASK_MAX_CONCURRENT. The metrics read
 * them at scrape time (medgpt_generations_in_flight, medgpt_generations_queued): nothing is counted per request.
 */
export function generationSlots(max: number): GenerationSlots {
  const g = globalThis as unknown as { __medgptAskSlots?: GenerationSlots };
  if (!g.__medgptAskSlots || g.__medgptAskSlots.max !== max) {
    g.__medgptAskSlots = new GenerationSlots(max, Math.min(16, max), 10_000);
    readGenerationSlots(() => ({ active: g.__medgptAskSlots?.inFlight ?? 0, queued: g.__medgptAskSlots?.queued ?? 0 }));
  }
  return g.__medgptAskSlots;
}
