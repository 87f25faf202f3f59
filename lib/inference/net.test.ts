import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { mapOllamaError } from "@/lib/inference/ollama";
import { networkCode, ollamaClientWithSignals } from "@/lib/inference/net";
import { rejection } from "@/test-support/async";
import { startOllamaStandin, type OllamaStandin } from "@/test-support/ollama-standin";

/** The network helpers the Ollama and OpenAI-compatible backends (and the Ollama judge) share. */

/** What undici throws for a failed connect: `TypeError: fetch failed` with the socket error as its cause. */
const fetchFailed = (cause: unknown) => new TypeError("fetch failed", { cause });
const sysError = (code: string) => Object.assign(new Error(`connect ${code}`), { code });

describe("networkCode", () => {
  it("reads the system error code from the cause", () => {
    expect(networkCode(fetchFailed(sysError("ECONNREFUSED")))).toBe("ECONNREFUSED");
  });
  it("reads the first code of a happy-eyeballs AggregateError (localhost: ::1, then 127.0.0.1)", () => {
    expect(networkCode(fetchFailed(new AggregateError([sysError("ECONNREFUSED"), sysError("ECONNREFUSED")])))).toBe(
      "ECONNREFUSED",
    );
  });
  it("is undefined without a code", () => {
    expect(networkCode(fetchFailed(new Error("bad port")))).toBeUndefined();
    expect(networkCode(new Error("no cause"))).toBeUndefined();
    expect(networkCode(undefined)).toBeUndefined();
  });
  it("the Ollama backend names the code of an AggregateError too, as the OpenAI-compatible one does", () => {
    const mapped = mapOllamaError(fetchFailed(new AggregateError([sysError("ECONNREFUSED")])), {
      host: "http://localhost:11434",
      timedOut: false,
    });
    expect(mapped).toBeInstanceOf(AppError);
    expect(mapped).toMatchObject({
      code: "upstream_unavailable",
      message: "Cannot reach Ollama at http://localhost:11434 (ECONNREFUSED).",
    });
  });
});

describe("ollamaClientWithSignals", () => {
  let standin: OllamaStandin;
  beforeAll(async () => {
    standin = await startOllamaStandin({ recordingsPath: null });
  });
  afterAll(() => standin.stop());
  beforeEach(() => {
    standin.setFault({ kind: "none" });
    standin.reset();
  });

  it("talks to the host like a plain client", async () => {
    const client = ollamaClientWithSignals(standin.url, [new AbortController().signal]);
    expect((await client.version()).version).toEqual(expect.any(String));
  });

  it("any of the signals aborting ends a request that is waiting upstream, and closes its connection", async () => {
    standin.setFault({ kind: "hangBeforeHeaders" });
    const first = new AbortController();
    const second = new AbortController();
    const client = ollamaClientWithSignals(standin.url, [first.signal, second.signal]);
    const pending = rejection(
      client.chat({ model: "gemma2:2b", messages: [{ role: "user", content: "hi" }], stream: false }),
    );
    setTimeout(() => second.abort(), 50);
    const err = await pending;
    expect((err as Error).name).toBe("AbortError");
    await standin.waitForAbort(3000);
  });
});
