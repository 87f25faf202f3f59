import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { OllamaBackend } from "@/lib/inference/ollama";
import type { GenerateEvent } from "@/lib/inference/types";
import { rejection } from "@/test-support/async";
import { expectAbortIsolated, expectDownBehaviour } from "@/test-support/backend-contract";
import { MESSAGES, RAW_PROMPT, chat, generateAll, raw } from "@/test-support/generate-requests";
import { madeUpReply, startOllamaStandin, type OllamaStandin } from "@/test-support/ollama-standin";

/** The Ollama backend against the stand-in: what it sends, what it yields, and how failures and aborts surface. */

let standin: OllamaStandin;
let backend: OllamaBackend;

beforeAll(async () => {
  standin = await startOllamaStandin();
  backend = new OllamaBackend({ host: standin.url, timeoutMs: 5000 });
});
afterAll(async () => {
  await standin.stop();
});
beforeEach(() => standin.restore());

describe("OllamaBackend.generate", () => {
  it("streams text pieces then exactly one done with Ollama's stats", async () => {
    const evs = await generateAll(backend, raw());
    const texts = evs.filter((e) => e.type === "text");
    expect(evs.filter((e) => e.type === "done")).toHaveLength(1);
    expect(evs.at(-1)?.type).toBe("done");
    expect(texts.map((e) => e.text).join("")).toBe(madeUpReply(RAW_PROMPT));
    const done = evs.at(-1) as Extract<GenerateEvent, { type: "done" }>;
    expect(done.stats.evalCount).toBe(texts.length);
    expect(done.stats.doneReason).toBe("stop");
    expect(done.stats.promptEvalCount).toBeGreaterThan(0);
    expect(done.stats.evalMs).toBeGreaterThan(0);
  });

  it("keeps its connection to Ollama for the next generation when the caller stops at done", async () => {
    const before = standin.connectionsOpened();
    for (let i = 0; i < 3; i++) {
      for await (const ev of backend.generate(raw(), new AbortController().signal)) if (ev.type === "done") break;
    }
    // A response left unread when the caller stopped would be dropped with its connection: three connections.
    expect(standin.connectionsOpened() - before).toBeLessThanOrEqual(1);
  });

  it("sends a raw prompt untemplated with every option mapped to Ollama's name", async () => {
    await generateAll(backend, raw({ maxTokens: 7, seed: 3, temperature: 0, topP: 0.9, numCtx: 8192 }));
    expect(standin.requests).toHaveLength(1);
    expect(standin.requests[0]).toMatchObject({
      path: "/api/generate",
      body: {
        raw: true,
        stream: true,
        options: { num_predict: 7, seed: 3, temperature: 0, top_p: 0.9, num_ctx: 8192 },
      },
    });
  });

  it("maxTokens bounds the reply: done_reason length", async () => {
    const evs = await generateAll(backend, raw({ maxTokens: 4 }));
    expect(evs.filter((e) => e.type === "text")).toHaveLength(4);
    expect(evs.at(-1)).toMatchObject({ type: "done", stats: { evalCount: 4, doneReason: "length" } });
  });

  it("sends a chat prompt as messages to /api/chat", async () => {
    const evs = await generateAll(backend, chat({ maxTokens: 5 }, "gemma2:2b"));
    expect(evs.filter((e) => e.type === "text")).toHaveLength(5);
    expect(standin.requests[0]).toMatchObject({
      path: "/api/chat",
      body: { model: "gemma2:2b", messages: MESSAGES, stream: true },
    });
  });

  it("aborting the signal mid-stream hangs up on Ollama and surfaces as an abort, not an AppError", async () => {
    standin.setTokenDelay(30);
    const controller = new AbortController();
    const gen = backend.generate(raw(), controller.signal);
    let n = 0;
    const err = await rejection(
      (async () => {
        for await (const ev of gen) if (ev.type === "text" && ++n === 2) controller.abort();
      })(),
    );
    expect(err).not.toBeInstanceOf(AppError);
    expect((err as Error).name).toBe("AbortError");
    await standin.waitForAbort(3000);
    expect(standin.stats).toMatchObject({ aborted: 1, completed: 0 });
  });

  it("aborting one generation leaves a concurrent one running", async () => {
    await expectAbortIsolated(backend, standin, raw({}, "gemma2:2b"));
  });

  it.each([
    [{ kind: "http500" } as const, "upstream_error"],
    [{ kind: "status", status: 400, error: "bad" } as const, "upstream_error"],
    [{ kind: "dieMidStream", afterChunks: 0 } as const, "upstream_error"],
    [{ kind: "dieMidStream", afterChunks: 2 } as const, "upstream_error"],
    [{ kind: "errorLineMidStream", afterChunks: 2, error: "boom" } as const, "upstream_error"],
  ])("fault %j → AppError %s", async (fault, code) => {
    standin.setFault(fault);
    const err = await rejection(generateAll(backend, raw()));
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe(code);
  });

  it("unknown model → model_not_found with the exact pull command", async () => {
    const err = await rejection(generateAll(backend, raw({}, "qwen3:0.6b")));
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("model_not_found");
    expect((err as AppError).fix).toContain("ollama pull qwen3:0.6b");
  });

  it("Ollama down → upstream_unavailable naming the host", async () => {
    await standin.goDown();
    const err = await rejection(generateAll(backend, raw()));
    expect((err as AppError).code).toBe("upstream_unavailable");
    expect((err as AppError).message).toContain(standin.url);
  });

  it("no bytes for timeoutMs → upstream_timeout, and the hung request is dropped", async () => {
    const quick = new OllamaBackend({ host: standin.url, timeoutMs: 200 });
    standin.setFault({ kind: "hangBeforeHeaders" });
    const err = await rejection(generateAll(quick, raw()));
    expect((err as AppError).code).toBe("upstream_timeout");
    await standin.waitForAbort(3000);
  });
});

describe("OllamaBackend metadata", () => {
  it("listModels maps Ollama's tags", async () => {
    expect(await backend.listModels()).toEqual([
      {
        name: "mrizwank97/medgpt:latest",
        sizeBytes: 1_708_583_232,
        family: "gemma2",
        parameterSize: "2.6B",
        quantization: "Q4_K_M",
      },
      { name: "gemma2:2b", sizeBytes: 1_629_518_495, family: "gemma2", parameterSize: "2.6B", quantization: "Q4_0" },
    ]);
  });

  it("hasModel: with or without :latest, false for a model not pulled", async () => {
    expect(await backend.hasModel("mrizwank97/medgpt")).toBe(true);
    expect(await backend.hasModel("mrizwank97/medgpt:latest")).toBe(true);
    expect(await backend.hasModel("gemma2:9b")).toBe(false);
  });

  it("health: reachable, with the server's version", async () => {
    expect(await backend.health()).toEqual({ backend: "ollama", reachable: true, version: "0.12.11", detail: null });
  });

  it("while down: health unreachable naming the host; listModels and hasModel → upstream_unavailable", async () => {
    await expectDownBehaviour(backend, () => standin.goDown(), standin.url, "gemma2:2b");
  });
});
