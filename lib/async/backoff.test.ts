import { describe, expect, it, vi } from "vitest";
import { recordingSleep, rejection } from "@/test-support/async";
import { Fatal, SCRIPTED_RETRY, script, Transient } from "@/test-support/retry-script";
import { isAbortError } from "./abort";
import { GaveUpError, parseRetryAfter, realSleep, withBackoff, type BackoffOptions, type Sleep } from "./backoff";

const base = (over: Partial<BackoffOptions> = {}): BackoffOptions => ({ ...SCRIPTED_RETRY, ...over });

describe("withBackoff", () => {
  it("returns the first success and passes 1-based attempt numbers", async () => {
    const { delays, sleep } = recordingSleep();
    const { attempts, fn } = script(new Transient(), new Transient());
    await expect(withBackoff(fn, base({ sleep }))).resolves.toBe("ok");
    expect(attempts).toEqual([1, 2, 3]);
    expect(delays).toHaveLength(2);
  });

  it("uses capped exponential backoff with full jitter", async () => {
    const { delays, sleep } = recordingSleep();
    const { fn } = script(new Transient(), new Transient(), new Transient(), new Transient());
    await withBackoff(fn, base({ sleep, random: () => 0.5 }));
    // min(3000, 1000·2^(n−1)) · 0.5
    expect(delays).toEqual([500, 1000, 1500, 1500]);

    const full = recordingSleep();
    await withBackoff(script(new Transient(), new Transient()).fn, base({ sleep: full.sleep, random: () => 0.999 }));
    expect(full.delays[0]).toBeLessThan(1000);
    expect(full.delays[1]).toBeLessThan(2000);
  });

  it("honours retry-after (plus jitter) when it is within the cap", async () => {
    const { delays, sleep } = recordingSleep();
    const { fn } = script(new Transient(7000), new Transient(59_900));
    await withBackoff(fn, base({ sleep, random: () => 0.5 }));
    expect(delays).toEqual([7500, 60_000]); // 59 900 + 500 jitter is clamped to the 60 s cap
  });

  it("honours any retry-after when there is no cap", async () => {
    const { delays, sleep } = recordingSleep();
    await withBackoff(script(new Transient(86_400_000)).fn, base({ sleep, retryAfterCapMs: undefined }));
    expect(delays).toEqual([86_400_500]);
  });

  it("gives up at once when retry-after exceeds the cap, with the wait asked for", async () => {
    const { delays, sleep } = recordingSleep();
    const { attempts, fn } = script(new Transient(86_400_000));
    const err = await rejection<GaveUpError>(withBackoff(fn, base({ sleep })));
    expect(err).toBeInstanceOf(GaveUpError);
    expect(err.reason).toBe("retry_after_over_cap");
    expect(err.retryAfterMs).toBe(86_400_000);
    expect(err.attempts).toBe(1);
    expect(err.cause).toBeInstanceOf(Transient);
    expect(attempts).toEqual([1]);
    expect(delays).toEqual([]);
  });

  it("does not retry what isRetryable refuses, and keeps the cause", async () => {
    const fatal = new Fatal("401 invalid key");
    const { attempts, fn } = script(new Transient(), fatal);
    const err = await rejection<GaveUpError>(withBackoff(fn, base({ sleep: recordingSleep().sleep })));
    expect(err).toBeInstanceOf(GaveUpError);
    expect(err.reason).toBe("not_retryable");
    expect(err.attempts).toBe(2);
    expect(err.cause).toBe(fatal);
    expect(attempts).toEqual([1, 2]);
  });

  it("stops after maxAttempts", async () => {
    const { attempts, fn } = script(...Array.from({ length: 10 }, () => new Transient()));
    const err = await rejection<GaveUpError>(withBackoff(fn, base({ maxAttempts: 3, sleep: recordingSleep().sleep })));
    expect(err.reason).toBe("attempts_exhausted");
    expect(err.message).toMatch(/gave up after 3 attempts: transient/);
    expect(err.attempts).toBe(3);
    expect(attempts).toEqual([1, 2, 3]);
  });

  it("reports each retry", async () => {
    const onRetry = vi.fn();
    await withBackoff(script(new Transient(2000)).fn, base({ sleep: recordingSleep().sleep, onRetry }));
    expect(onRetry).toHaveBeenCalledExactlyOnceWith({ attempt: 1, delayMs: 2500, error: expect.any(Transient) });
  });

  it("does not call fn when the signal is already aborted", async () => {
    const fn = vi.fn(async () => "ok");
    const err = await rejection(withBackoff(fn, base({ signal: AbortSignal.abort() })));
    expect(isAbortError(err)).toBe(true);
    expect(fn).not.toHaveBeenCalled();
  });

  it("aborts during a wait even if the injected sleep ignores the signal", async () => {
    const controller = new AbortController();
    const neverEnds: Sleep = () => new Promise(() => {});
    const p = withBackoff(
      async () => {
        queueMicrotask(() => controller.abort());
        throw new Transient();
      },
      base({ signal: controller.signal, sleep: neverEnds }),
    );
    expect(isAbortError(await rejection(p))).toBe(true);
  });

  it("aborts during a real wait", async () => {
    const controller = new AbortController();
    const p = withBackoff(
      script(new Transient(30_000)).fn,
      base({ signal: controller.signal, onRetry: () => controller.abort() }),
    );
    expect(isAbortError(await rejection(p))).toBe(true);
  });

  it("aborts while fn is in flight even if fn ignores the signal", async () => {
    const controller = new AbortController();
    const p = withBackoff(() => new Promise<string>(() => {}), base({ signal: controller.signal }));
    controller.abort();
    const err = await rejection(p);
    expect(err.name).toBe("AbortError");
    expect(isAbortError(err)).toBe(true);
  });

  it("throws an AbortError whatever the abort's reason", async () => {
    const controller = new AbortController();
    const p = withBackoff(() => new Promise<string>(() => {}), base({ signal: controller.signal }));
    controller.abort(new DOMException("upstream timeout", "TimeoutError"));
    expect((await rejection(p)).name).toBe("AbortError");
  });

  it("an error caused by the abort is reported as the abort, not retried", async () => {
    const controller = new AbortController();
    const { delays, sleep } = recordingSleep();
    const fn = vi.fn(async () => {
      controller.abort();
      throw new Transient();
    });
    expect(isAbortError(await rejection(withBackoff(fn, base({ signal: controller.signal, sleep }))))).toBe(true);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(delays).toEqual([]);
  });
});

describe("realSleep", () => {
  it("resolves after the delay and rejects promptly on abort", async () => {
    await expect(realSleep(1, new AbortController().signal)).resolves.toBeUndefined();
    const controller = new AbortController();
    const p = realSleep(3_600_000, controller.signal);
    controller.abort();
    expect(isAbortError(await rejection(p))).toBe(true);
    expect(isAbortError(await rejection(realSleep(10, AbortSignal.abort())))).toBe(true);
  });

  it("rejects with the abort's own reason", async () => {
    const timeout = new DOMException("upstream timeout", "TimeoutError");
    expect(await rejection(realSleep(10, AbortSignal.abort(timeout)))).toBe(timeout);
  });
});

describe("parseRetryAfter", () => {
  const headers = (h: Record<string, string>) => (name: string) => h[name] ?? null;
  it.each([
    [{ "retry-after": "7" }, 7000],
    [{ "retry-after": "0.5" }, 500],
    [{ "retry-after": "86400" }, 86_400_000],
    [{ "retry-after-ms": "250" }, 250],
    [{ "retry-after-ms": "250", "retry-after": "9" }, 250],
    [{ "retry-after-ms": "soon", "retry-after": "9" }, 9000],
    [{ "retry-after": "-3" }, 0],
    [{ "retry-after": "Wed, 21 Oct 2015 07:28:30 GMT" }, 30_000],
    [{ "retry-after": "whenever" }, undefined],
    [{}, undefined],
  ])("%j → %s", (h, expected) => {
    expect(parseRetryAfter(headers(h), Date.parse("Wed, 21 Oct 2015 07:28:00 GMT"))).toBe(expected);
  });
});
