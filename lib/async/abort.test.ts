import { describe, expect, it } from "vitest";
import { isAbortError as isAbortErrorFromErrors } from "@/lib/errors";
import { rejection } from "@/test-support/async";
import { abortError, abortReason, isAbortError, raceAbort } from "./abort";

describe("abortError", () => {
  it("is what fetch throws on abort: a DOMException named AbortError", () => {
    const err = abortError();
    expect(err).toBeInstanceOf(DOMException);
    expect(err.name).toBe("AbortError");
    expect(isAbortError(err)).toBe(true);
    expect(abortError("The judge call was aborted.").message).toBe("The judge call was aborted.");
  });

  it("is recognised by the one isAbortError, re-exported from lib/errors", () => {
    expect(isAbortError).toBe(isAbortErrorFromErrors);
  });
});

describe("abortReason", () => {
  it("is the signal's own reason when that is an Error, else an AbortError", () => {
    const timeout = new DOMException("upstream timeout", "TimeoutError");
    expect(abortReason(AbortSignal.abort(timeout))).toBe(timeout);
    expect(isAbortError(abortReason(AbortSignal.abort()))).toBe(true);
    expect(isAbortError(abortReason(AbortSignal.abort("just a string")))).toBe(true);
  });
});

describe("raceAbort", () => {
  it("settles as the promise does while the signal stays quiet", async () => {
    const signal = new AbortController().signal;
    await expect(raceAbort(Promise.resolve(7), signal)).resolves.toBe(7);
    const boom = new Error("boom");
    expect(await rejection(raceAbort(Promise.reject(boom), signal))).toBe(boom);
  });

  it("rejects as soon as the signal aborts, even if the promise never settles", async () => {
    const controller = new AbortController();
    const p = raceAbort(new Promise(() => {}), controller.signal);
    controller.abort();
    expect(isAbortError(await rejection(p))).toBe(true);
  });

  it("rejects with the abort's reason, so a timeout stays a timeout", async () => {
    const timeout = new DOMException("upstream timeout", "TimeoutError");
    expect(await rejection(raceAbort(new Promise(() => {}), AbortSignal.abort(timeout)))).toBe(timeout);
  });

  it("leaves no unhandled rejection behind when the losing promise fails later", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      let fail!: (e: Error) => void;
      const late = new Promise<never>((_, reject) => (fail = reject));
      const controller = new AbortController();
      const racing = raceAbort(late, controller.signal);
      controller.abort();
      await rejection(racing);
      fail(new Error("late"));
      await rejection(raceAbort(Promise.reject(new Error("already aborted")), AbortSignal.abort()));
      await new Promise((r) => setTimeout(r, 10));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });
});
