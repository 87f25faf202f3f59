import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { askOnce } from "@/lib/ask/service";
import { loadConfig } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { DEFAULT_RAW_STOP, OpenAiCompatibleBackend, parseErrorBody } from "@/lib/inference/openai";
import type { GenerateEvent } from "@/lib/inference/types";
import { collect, rejection } from "@/test-support/async";
import { expectAbortIsolated, expectDownBehaviour } from "@/test-support/backend-contract";
import { MESSAGES, PROMPT_TEXT, RAW_PROMPT, chat, generateAll, raw } from "@/test-support/generate-requests";
import { madeUpReply, splitIntoChunks } from "@/test-support/ollama-standin";
import { startOpenAiStandin, type OpenAiFault, type OpenAiStandin } from "@/test-support/openai-standin";
import { plantedProbabilities } from "@/test-support/planted-logprobs";

/** The OpenAI-compatible backend against the stand-in: what it sends, what it yields, how failures and aborts surface. */

const REPLY = madeUpReply(RAW_PROMPT);

let standin: OpenAiStandin;
let backend: OpenAiCompatibleBackend;

beforeAll(async () => {
  standin = await startOpenAiStandin({ recordingsPath: null });
  backend = new OpenAiCompatibleBackend({ baseUrl: standin.baseUrl, timeoutMs: 5000 });
});
afterAll(async () => {
  await standin.stop();
});
beforeEach(() => standin.restore());

const texts = (evs: GenerateEvent[]) => evs.flatMap((e) => (e.type === "text" ? [e.text] : []));

/** A throwaway HTTP server for wire behaviours the stand-in does not offer. */
async function withServer(handler: http.RequestListener, fn: (baseUrl: string) => Promise<void>) {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  try {
    await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

describe("OpenAiCompatibleBackend.generate", () => {
  it("raw prompt: POST /completions untemplated, text pieces, then exactly one done with the usage stats", async () => {
    const evs = await generateAll(backend, raw({ maxTokens: 512, seed: 7, temperature: 0, topP: 0.9, numCtx: 8192 }));
    expect(standin.requests).toHaveLength(1);
    expect(standin.requests[0]).toEqual({
      path: "/v1/completions",
      method: "POST",
      authorization: null,
      body: {
        model: "mrizwank97/medgpt",
        prompt: RAW_PROMPT,
        stop: [...DEFAULT_RAW_STOP],
        stream: true,
        stream_options: { include_usage: true },
        max_tokens: 512,
        temperature: 0,
        top_p: 0.9,
        seed: 7,
      },
    });
    expect(texts(evs).join("")).toBe(REPLY);
    expect(texts(evs)).toHaveLength(splitIntoChunks(REPLY).length);
    expect(evs.filter((e) => e.type === "done")).toHaveLength(1);
    expect(evs.at(-1)).toEqual({
      type: "done",
      stats: {
        evalCount: splitIntoChunks(REPLY).length,
        promptEvalCount: Math.round(RAW_PROMPT.length / 4),
        evalMs: null,
        doneReason: "stop",
      },
    });
    expect(standin.stats).toMatchObject({ completed: 1, aborted: 0 });
  });

  it("chat prompt: POST /chat/completions with the messages and no stop", async () => {
    const evs = await generateAll(backend, chat({ maxTokens: 64, seed: 1, temperature: 0.7 }));
    expect(standin.requests[0]).toMatchObject({
      path: "/v1/chat/completions",
      body: {
        model: "google/gemma-2-2b-it",
        messages: MESSAGES,
        stream: true,
        stream_options: { include_usage: true },
        max_tokens: 64,
        seed: 1,
        temperature: 0.7,
      },
    });
    const body = standin.requests[0]!.body as Record<string, unknown>;
    expect(body).not.toHaveProperty("prompt");
    expect(body).not.toHaveProperty("stop");
    expect(body).not.toHaveProperty("top_p");
    expect(texts(evs).join("")).toBe(madeUpReply(PROMPT_TEXT));
    expect(evs.at(-1)).toMatchObject({
      type: "done",
      stats: { doneReason: "stop", evalCount: splitIntoChunks(madeUpReply(PROMPT_TEXT)).length },
    });
  });

  it("leaves unset sampling options to the server; rawStop [] sends no stop", async () => {
    const noStop = new OpenAiCompatibleBackend({ baseUrl: standin.baseUrl, timeoutMs: 5000, rawStop: [] });
    await generateAll(noStop, raw());
    expect(Object.keys(standin.requests[0]!.body as object).sort()).toEqual([
      "max_tokens",
      "model",
      "prompt",
      "stream",
      "stream_options",
    ]);
  });

  it("maxTokens bounds the reply: doneReason length", async () => {
    const evs = await generateAll(backend, raw({ maxTokens: 4 }));
    expect(texts(evs)).toHaveLength(4);
    expect(evs.at(-1)).toMatchObject({ type: "done", stats: { evalCount: 4, doneReason: "length" } });
  });

  it("sends Authorization: Bearer when an API key is set", async () => {
    const locked = await startOpenAiStandin({ apiKey: "sekrit", recordingsPath: null });
    try {
      const keyed = new OpenAiCompatibleBackend({ baseUrl: locked.baseUrl, apiKey: "sekrit", timeoutMs: 5000 });
      const evs = await generateAll(keyed, raw());
      expect(texts(evs).join("")).toBe(REPLY);
      expect(await keyed.listModels()).toHaveLength(2);
      expect(locked.requests.map((r) => r.authorization)).toEqual(["Bearer sekrit", "Bearer sekrit"]);

      const keyless = new OpenAiCompatibleBackend({ baseUrl: locked.baseUrl, timeoutMs: 5000 });
      const err = (await rejection(generateAll(keyless, raw()))) as AppError;
      expect(err).toBeInstanceOf(AppError);
      expect(err.code).toBe("upstream_error");
      expect(err.message).toContain("401");
      expect(err.fix).toContain("OPENAI_API_KEY");
    } finally {
      await locked.stop();
    }
  });

  it("aborting the signal mid-stream hangs up on the server and surfaces as an abort, not an AppError", async () => {
    standin.setTokenDelay(30);
    const controller = new AbortController();
    let n = 0;
    const err = await rejection(
      (async () => {
        for await (const ev of backend.generate(raw(), controller.signal))
          if (ev.type === "text" && ++n === 2) controller.abort();
      })(),
    );
    expect(err).not.toBeInstanceOf(AppError);
    expect((err as Error).name).toBe("AbortError");
    await standin.waitForAbort(3000);
    expect(standin.stats).toMatchObject({ aborted: 1, completed: 0 });
  });

  it("aborting before the first byte also hangs up", async () => {
    standin.setFault({ kind: "hangBeforeHeaders" });
    const controller = new AbortController();
    const pending = rejection(collect(backend.generate(raw(), controller.signal)));
    await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    expect(((await pending) as Error).name).toBe("AbortError");
    await standin.waitForAbort(3000);
  });

  it("a consumer that stops iterating early hangs up too", async () => {
    standin.setTokenDelay(30);
    for await (const ev of backend.generate(raw(), new AbortController().signal)) if (ev.type === "text") break;
    await standin.waitForAbort(3000);
    expect(standin.stats).toMatchObject({ aborted: 1, completed: 0 });
  });

  it("aborting one generation leaves a concurrent one running", async () => {
    await expectAbortIsolated(backend, standin, chat());
  });

  it.each<[OpenAiFault, string, RegExp]>([
    [{ kind: "http500" }, "upstream_error", /answered 500: EngineCore/],
    [
      { kind: "status", status: 503, body: { detail: "Service Unavailable" } },
      "upstream_error",
      /answered 503: Service Unavailable/,
    ],
    [
      {
        kind: "status",
        status: 400,
        body: { object: "error", message: "max_tokens is too large", type: "BadRequestError", code: 400 },
      },
      "upstream_error",
      /max_tokens is too large/,
    ],
    [
      {
        kind: "status",
        status: 429,
        body: { error: { message: "Rate limit reached", type: "requests", code: "rate_limit_exceeded" } },
      },
      "upstream_error",
      /rate-limiting/,
    ],
    [{ kind: "unauthorized" }, "upstream_error", /refused the request \(401: Unauthorized\)/],
    [{ kind: "status", status: 403, body: { error: { message: "forbidden" } } }, "upstream_error", /403: forbidden/],
    [{ kind: "dieMidStream", afterChunks: 0 }, "upstream_error", /failed while generating/],
    [{ kind: "dieMidStream", afterChunks: 3 }, "upstream_error", /failed while generating/],
    [
      { kind: "errorEventMidStream", afterChunks: 3, message: "CUDA out of memory" },
      "upstream_error",
      /failed while generating: CUDA out of memory/,
    ],
  ])("fault %j → AppError %s", async (fault, code, message) => {
    standin.setFault(fault);
    const seen: GenerateEvent[] = [];
    const err = await rejection(
      (async () => {
        for await (const ev of backend.generate(raw(), new AbortController().signal)) seen.push(ev);
      })(),
    );
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe(code);
    expect((err as AppError).message).toMatch(message);
    expect(seen.some((e) => e.type === "done")).toBe(false);
    if ("afterChunks" in fault) expect(seen).toHaveLength(fault.afterChunks);
  });

  it("401/403 name OPENAI_API_KEY in the fix", async () => {
    standin.setFault({ kind: "unauthorized" });
    const err = (await rejection(generateAll(backend, raw()))) as AppError;
    expect(err.fix).toContain("OPENAI_API_KEY");
    expect(err.status).toBe(502);
  });

  it('the newer vLLM error event ({"error": {...}}) is an upstream_error too, though [DONE] follows', async () => {
    standin.setErrorStyle("vllm-wrapped");
    standin.setFault({ kind: "errorEventMidStream", afterChunks: 1, message: "boom" });
    const err = (await rejection(generateAll(backend, chat()))) as AppError;
    expect(err.code).toBe("upstream_error");
    expect(err.message).toContain("boom");
  });

  it.each(["vllm", "vllm-wrapped", "openai"] as const)(
    "unknown model (%s body) → model_not_found naming the model",
    async (style) => {
      standin.setErrorStyle(style);
      const err = (await rejection(generateAll(backend, raw({}, "qwen3:0.6b")))) as AppError;
      expect(err).toBeInstanceOf(AppError);
      expect(err.code).toBe("model_not_found");
      expect(err.status).toBe(404);
      expect(err.message).toContain("'qwen3:0.6b'");
      expect(err.message).toContain(standin.baseUrl);
      expect(err.fix).toContain("--served-model-name qwen3:0.6b");
    },
  );

  it("the modelNotFound fault on a listed model → model_not_found as well", async () => {
    standin.setFault({ kind: "modelNotFound" });
    const err = (await rejection(generateAll(backend, chat()))) as AppError;
    expect(err.code).toBe("model_not_found");
  });

  it("a base URL without /v1 → upstream_error whose fix explains OPENAI_BASE_URL", async () => {
    const wrong = new OpenAiCompatibleBackend({ baseUrl: standin.url, timeoutMs: 5000 });
    const err = (await rejection(generateAll(wrong, raw()))) as AppError;
    expect(err.code).toBe("upstream_error");
    expect(err.message).toContain("has no /completions (404: Not Found)");
    expect(err.fix).toContain("OPENAI_BASE_URL");
    expect(err.fix).toContain("/v1");
  });

  it("server down → upstream_unavailable naming the URL, fix: start the server / check OPENAI_BASE_URL", async () => {
    await standin.goDown();
    const err = (await rejection(generateAll(backend, raw()))) as AppError;
    expect(err.code).toBe("upstream_unavailable");
    expect(err.status).toBe(503);
    expect(err.message).toContain(standin.baseUrl);
    expect(err.message).toContain("ECONNREFUSED");
    expect(err.fix).toContain("OPENAI_BASE_URL");
    expect(err.fix).toContain("vllm serve");
  });

  it("no bytes for timeoutMs before the headers → upstream_timeout, and the hung request is dropped", async () => {
    const quick = new OpenAiCompatibleBackend({ baseUrl: standin.baseUrl, timeoutMs: 200 });
    standin.setFault({ kind: "hangBeforeHeaders" });
    const err = (await rejection(generateAll(quick, raw()))) as AppError;
    expect(err.code).toBe("upstream_timeout");
    expect(err.status).toBe(504);
    await standin.waitForAbort(3000);
  });

  it("a stall mid-stream longer than timeoutMs → upstream_timeout; steady tokens slower in total do not time out", async () => {
    const quick = new OpenAiCompatibleBackend({ baseUrl: standin.baseUrl, timeoutMs: 300 });
    standin.setTokenDelay(40);
    const ok = await generateAll(quick, raw({ maxTokens: 12 })); // ~480 ms in all
    expect(ok.at(-1)).toMatchObject({ type: "done", stats: { evalCount: 12 } });

    standin.setTokenDelay(2000);
    const seen: GenerateEvent[] = [];
    const err = (await rejection(
      (async () => {
        for await (const ev of quick.generate(chat(), new AbortController().signal)) seen.push(ev);
      })(),
    )) as AppError;
    expect(err.code).toBe("upstream_timeout");
    await standin.waitForAbort(3000);
  });

  it("a stream that ends cleanly without [DONE] or finish_reason → upstream_error", async () => {
    await withServer(
      (_req, res) => {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.end(`data: ${JSON.stringify({ choices: [{ index: 0, text: "<analysis>", finish_reason: null }] })}\n\n`);
      },
      async (baseUrl) => {
        const b = new OpenAiCompatibleBackend({ baseUrl, timeoutMs: 2000 });
        const seen: GenerateEvent[] = [];
        const err = (await rejection(
          (async () => {
            for await (const ev of b.generate(raw(), new AbortController().signal)) seen.push(ev);
          })(),
        )) as AppError;
        expect(seen).toEqual([{ type: "text", text: "<analysis>" }]);
        expect(err.code).toBe("upstream_error");
        expect(err.message).toContain("ended before the reply was complete");
      },
    );
  });

  it("a terse server: finish_reason without [DONE] and without usage is still a complete reply", async () => {
    await withServer(
      (_req, res) => {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.write(
          `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: "Hi" }, finish_reason: null }] })}\n\n`,
        );
        res.end(`data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: "stop" }] })}\n\n`);
      },
      async (baseUrl) => {
        const evs = await collect(
          new OpenAiCompatibleBackend({ baseUrl, timeoutMs: 2000 }).generate(chat(), new AbortController().signal),
        );
        expect(evs).toEqual([
          { type: "text", text: "Hi" },
          { type: "done", stats: { evalCount: null, promptEvalCount: null, evalMs: null, doneReason: "stop" } },
        ]);
      },
    );
  });
});

describe("OpenAiCompatibleBackend metadata", () => {
  it("listModels maps GET /models (sizes and families unknown)", async () => {
    expect(await backend.listModels()).toEqual([
      { name: "mrizwank97/medgpt", sizeBytes: null, family: null, parameterSize: null, quantization: null },
      { name: "google/gemma-2-2b-it", sizeBytes: null, family: null, parameterSize: null, quantization: null },
    ]);
    expect(standin.requests[0]).toMatchObject({ path: "/v1/models", method: "GET" });
  });

  it("hasModel: exact served names only", async () => {
    expect(await backend.hasModel("mrizwank97/medgpt")).toBe(true);
    expect(await backend.hasModel("mrizwank97/medgpt:latest")).toBe(false);
    expect(await backend.hasModel("gemma2:2b")).toBe(false);
  });

  it("health: reachable with no version; a detail when the server lists no models", async () => {
    expect(await backend.health()).toEqual({ backend: "openai", reachable: true, version: null, detail: null });
    standin.setModels([]);
    expect((await backend.health()).detail).toContain("lists no models");
  });

  it("while down: health unreachable naming the URL; listModels and hasModel → upstream_unavailable; a wrong key → upstream_error", async () => {
    await expectDownBehaviour(backend, () => standin.goDown(), standin.baseUrl, "mrizwank97/medgpt");
    const locked = await startOpenAiStandin({ apiKey: "right", recordingsPath: null });
    try {
      const wrongKey = new OpenAiCompatibleBackend({ baseUrl: locked.baseUrl, apiKey: "wrong", timeoutMs: 5000 });
      const err = (await rejection(wrongKey.listModels())) as AppError;
      expect(err.code).toBe("upstream_error");
      expect(err.fix).toContain("OPENAI_API_KEY");
      expect(await wrongKey.health()).toMatchObject({ reachable: false });
    } finally {
      await locked.stop();
    }
  });

  it("a server that never answers GET /models → upstream_timeout after metadataTimeoutMs; health unreachable", async () => {
    await withServer(
      () => {},
      async (baseUrl) => {
        const b = new OpenAiCompatibleBackend({ baseUrl, timeoutMs: 5000, metadataTimeoutMs: 100 });
        expect(((await rejection(b.listModels())) as AppError).code).toBe("upstream_timeout");
        expect(await b.health()).toMatchObject({
          reachable: false,
          detail: expect.stringContaining("did not answer in time"),
        });
      },
    );
  });

  it("a non-list answer from GET /models is an upstream_error", async () => {
    await withServer(
      (_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ models: [] }));
      },
      async (baseUrl) => {
        const err = (await rejection(
          new OpenAiCompatibleBackend({ baseUrl, timeoutMs: 5000 }).listModels(),
        )) as AppError;
        expect(err.code).toBe("upstream_error");
      },
    );
  });
});

describe("parseErrorBody", () => {
  it.each([
    [
      { object: "error", message: "The model `x` does not exist.", type: "NotFoundError", param: null, code: 404 },
      "The model `x` does not exist.",
      404,
    ],
    [
      { error: { message: "The model `x` does not exist", type: "invalid_request_error", code: "model_not_found" } },
      "The model `x` does not exist",
      "model_not_found",
    ],
    [{ error: "Unauthorized" }, "Unauthorized", null],
    [{ detail: "Not Found" }, "Not Found", null],
  ])("%j", (body, message, code) => {
    expect(parseErrorBody(body)).toMatchObject({ message, code });
  });
  it("falls back to the text", () => {
    expect(parseErrorBody(undefined, " Bad Gateway \n")).toEqual({ message: "Bad Gateway", type: null, code: null });
  });
});

describe("ask service over the OpenAI-compatible backend", () => {
  it("askOnce with the default config answers B for the made-up reply", async () => {
    const config = loadConfig({});
    const deps = {
      backend: new OpenAiCompatibleBackend({ baseUrl: standin.baseUrl, timeoutMs: config.upstreamTimeoutMs }),
      config,
    };
    const result = await askOnce(
      {
        case: "A 30-year-old woman has a dry cough and bilateral hilar lymphadenopathy. Which is most likely?",
        options: { A: "Asthma", B: "Sarcoidosis", C: "Tuberculosis" },
        stream: false,
        seed: 42,
        temperature: 0,
      },
      deps,
      new AbortController().signal,
    );
    expect(result.answer).toMatchObject({ letter: "B", text: "Sarcoidosis" });
    // The planted log-probabilities, read through /v1/completions' logprobs: k.
    expect(result.answer.confidence).toBeCloseTo(plantedProbabilities("B", ["A", "B", "C"]).B!, 5);
    expect(Object.keys(result.answer.probabilities ?? {}).sort()).toEqual(["A", "B", "C"]);
    expect(result.formatOk).toBe(true);
    expect(result.backend).toBe("openai");
    expect(result.model).toBe("mrizwank97/medgpt");
    expect(result.raw).toMatch(/^<analysis>\n[\s\S]*<\/analysis>\n<answer>\nB: Sarcoidosis\n<\/answer>$/);
    expect(result.timings.evalCount).toBe(splitIntoChunks(result.raw).length);
    // The fine-tune's format: a raw prompt to /completions with the config's token budget.
    expect(standin.requests[0]).toMatchObject({
      path: "/v1/completions",
      body: { model: "mrizwank97/medgpt", max_tokens: config.maxTokens, seed: 42, temperature: 0, logprobs: 10 },
    });
    expect((standin.requests[0]!.body as { prompt: string }).prompt).toMatch(
      /^<start_of_turn>user [\s\S]*<start_of_turn>model$/,
    );
  });

  it("a chat-format model gets its probabilities through /v1/chat/completions' logprobs + top_logprobs", async () => {
    const config = loadConfig({});
    standin.setModels(["gemma2:2b"]);
    const backend = new OpenAiCompatibleBackend({ baseUrl: standin.baseUrl, timeoutMs: config.upstreamTimeoutMs });
    const result = await askOnce(
      {
        case: "A 30-year-old has hilar nodes. Which?",
        options: { A: "Asthma", B: "Sarcoidosis" },
        model: "gemma2:2b",
        stream: false,
      },
      { backend, config },
      new AbortController().signal,
    );
    expect(standin.requests.at(-1)).toMatchObject({
      path: "/v1/chat/completions",
      body: { logprobs: true, top_logprobs: 10 },
    });
    expect(result.answer.letter).toBe("B");
    expect(result.answer.confidence).toBeCloseTo(plantedProbabilities("B", ["A", "B"]).B!, 5);
  });
});
