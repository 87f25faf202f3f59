import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { rejection } from "@/test-support/async";
import { readBodyBytes } from "./read-json";

/** A POST whose body sends `first` and then stalls, as a slow or hostile client's would. */
function stalledRequest(first: string) {
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(first));
    },
    cancel() {
      cancelled = true;
    },
  });
  const request = new Request("http://localhost/api/ask", {
    method: "POST",
    body,
    headers: { "content-type": "application/json" },
    duplex: "half",
  } as RequestInit);
  return { request, wasCancelled: () => cancelled };
}

describe("readBodyBytes and a body that stalls", () => {
  it("gives up with 408 request_timeout once the body has not arrived in time, and lets go of the stream", async () => {
    const { request, wasCancelled } = stalledRequest('{"case": "A 30-year-old');
    const err = await rejection(readBodyBytes(request, 64 * 1024, 50));
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("request_timeout");
    expect((err as AppError).status).toBe(408);
    expect(wasCancelled()).toBe(true);
  });

  it("a body that arrives in time is read whole", async () => {
    const request = new Request("http://localhost/x", { method: "POST", body: '{"a":1}' });
    expect(new TextDecoder().decode(await readBodyBytes(request, 1024, 1000))).toBe('{"a":1}');
  });
});
