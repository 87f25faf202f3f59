import { describe, expect, it } from "vitest";
import { isAbortError } from "@/lib/async/abort";
import { JudgeError } from "@/eval/types";
import { metrics } from "@/lib/observability/metrics";
import { recordingSleep, rejection } from "@/test-support/async";
import { Fatal, SCRIPTED_RETRY, script, Transient } from "@/test-support/retry-script";
import { retryJudgeCall, withJudgeBackoff, type JudgeRetryOptions } from "./backoff";

// The engine's own behaviour (delays, jitter, retry-after, aborts) is tested in lib/async/backoff.test.ts; here,
// what giving up means for a judge.

const base = (over: Partial<JudgeRetryOptions> = {}): JudgeRetryOptions => ({ ...SCRIPTED_RETRY, ...over });

describe("retryJudgeCall", () => {
  it("gives up at once when retry-after exceeds the cap, saying how long the provider asked", async () => {
    const { delays, sleep } = recordingSleep();
    const { attempts, fn } = script(new Transient(86_400_000));
    const err = await rejection(retryJudgeCall(fn, base({ sleep })));
    expect(err).toBeInstanceOf(JudgeError);
    expect(err.message).toMatch(/asked to wait 86400 s/);
    expect(err.message).toMatch(/60 s cap/);
    expect((err as JudgeError).attempts).toBe(1);
    expect(attempts).toEqual([1]);
    expect(delays).toEqual([]);
  });

  it("does not retry what isRetryable refuses, and keeps the cause", async () => {
    const fatal = new Fatal("401 invalid key");
    const { attempts, fn } = script(new Transient(), fatal);
    const err = await rejection(retryJudgeCall(fn, base({ sleep: recordingSleep().sleep })));
    expect(err).toBeInstanceOf(JudgeError);
    expect(err.message).toBe("401 invalid key");
    expect((err as JudgeError).attempts).toBe(2);
    expect(err.cause).toBe(fatal);
    expect(attempts).toEqual([1, 2]);
  });

  it("stops after maxAttempts", async () => {
    const { attempts, fn } = script(...Array.from({ length: 10 }, () => new Transient()));
    const err = await rejection(retryJudgeCall(fn, base({ maxAttempts: 3, sleep: recordingSleep().sleep })));
    expect(err).toBeInstanceOf(JudgeError);
    expect(err.message).toMatch(/gave up after 3 attempts: transient/);
    expect((err as JudgeError).attempts).toBe(3);
    expect(attempts).toEqual([1, 2, 3]);
  });

  it("words errors with the provider's describe", async () => {
    const err = await rejection(
      retryJudgeCall(script(new Fatal("raw")).fn, base({ describe: () => "Groq 401: bad key" })),
    );
    expect(err).toBeInstanceOf(JudgeError);
    expect(err.message).toBe("Groq 401: bad key");
  });

  it("passes an abort through as an AbortError, not a JudgeError", async () => {
    const controller = new AbortController();
    const p = retryJudgeCall(() => new Promise<string>(() => {}), base({ signal: controller.signal }));
    controller.abort();
    const err = await rejection(p);
    expect(err).not.toBeInstanceOf(JudgeError);
    expect(isAbortError(err)).toBe(true);
  });
});

describe("withJudgeBackoff", () => {
  it("fills unset settings from DEFAULT_BACKOFF (6 attempts)", async () => {
    const { attempts, fn } = script(...Array.from({ length: 10 }, () => new Transient()));
    const { delays, sleep } = recordingSleep();
    const err = await rejection(
      withJudgeBackoff(
        fn,
        { sleep, random: () => 0 },
        { isRetryable: base().isRetryable },
        new AbortController().signal,
      ),
    );
    expect((err as JudgeError).attempts).toBe(6);
    expect(attempts).toHaveLength(6);
    expect(delays).toHaveLength(5);
  });
});

describe("judge retries in the metrics", () => {
  it("each retry counts once in medgpt_judge_retries_total; the first attempt and a success do not", async () => {
    const retries = async () => (await metrics().judgeRetries.get()).values[0]?.value ?? 0;
    const before = await retries();
    const { fn } = script(new Transient(), new Transient());
    const seen: number[] = [];
    await retryJudgeCall(fn, base({ sleep: recordingSleep().sleep, onRetry: (i) => seen.push(i.attempt) }));
    expect(await retries()).toBe(before + 2);
    expect(seen).toHaveLength(2); // the provider's own onRetry still hears them
  });
});
