import { describe, expect, it } from "vitest";
import { abortError } from "@/lib/async/abort";
import { AppError } from "@/lib/errors";
import { generateWithRetry } from "./retry";

const fast = { baseMs: 1, maxDelayMs: 1 };
const quiet = () => new AbortController().signal;

/** Calls fail with the given errors in order, then succeed with "ok". */
function script(...errors: unknown[]) {
  let calls = 0;
  const fn = async () => {
    const e = errors[calls++];
    if (e) throw e;
    return "ok";
  };
  return { calls: () => calls, fn };
}

describe("generateWithRetry", () => {
  it("retries a failure and reports the attempts it took", async () => {
    const { fn } = script(new Error("flaky"), new AppError("upstream_error", "500"));
    expect(await generateWithRetry(fn, quiet(), fast)).toEqual({ kind: "ok", value: "ok", attempts: 3 });
  });

  it("a missing model is fatal at once", async () => {
    const missing = new AppError("model_not_found", "no such model");
    const { calls, fn } = script(missing);
    expect(await generateWithRetry(fn, quiet(), fast)).toEqual({ kind: "fatal", error: missing });
    expect(calls()).toBe(1);
  });

  it("a model server that stays unreachable is fatal after the retries", async () => {
    const down = new AppError("upstream_unavailable", "connection refused");
    const { calls, fn } = script(down, down, down);
    expect(await generateWithRetry(fn, quiet(), { ...fast, maxAttempts: 3 })).toEqual({ kind: "fatal", error: down });
    expect(calls()).toBe(3);
  });

  it("one that comes back is not", async () => {
    const down = new AppError("upstream_unavailable", "connection refused");
    expect(await generateWithRetry(script(down, down).fn, quiet(), { ...fast, maxAttempts: 3 })).toMatchObject({
      kind: "ok",
      attempts: 3,
    });
  });

  it("other failures become the item's error, with the last reason", async () => {
    const { fn } = script(
      new AppError("upstream_unavailable", "refused"),
      new AppError("upstream_timeout", "too slow"),
    );
    expect(await generateWithRetry(fn, quiet(), { ...fast, maxAttempts: 2 })).toEqual({
      kind: "failed",
      error: "upstream_timeout: too slow",
      attempts: 2,
    });
  });

  it("an abort, before, during or between attempts, is reported as aborted", async () => {
    expect(await generateWithRetry(script().fn, AbortSignal.abort())).toEqual({ kind: "aborted" });

    const inFlight = new AbortController();
    const pending = generateWithRetry(() => new Promise<string>(() => {}), inFlight.signal);
    inFlight.abort();
    expect(await pending).toEqual({ kind: "aborted" });

    const waiting = new AbortController();
    const backingOff = generateWithRetry(script(new Error("flaky")).fn, waiting.signal, {
      baseMs: 3_600_000,
      maxDelayMs: 3_600_000,
    });
    setTimeout(() => waiting.abort(), 5);
    expect(await backingOff).toEqual({ kind: "aborted" });

    expect(await generateWithRetry(script(abortError()).fn, quiet(), fast)).toEqual({ kind: "aborted" });
  });
});
