import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { readSseFrames } from "@/lib/sse/decode";
import { PROMPT_TEXT as PROMPT } from "./generate-requests";
import { madeUpReply, splitIntoChunks } from "./ollama-standin";
import { DEFAULT_OPENAI_MODELS, startOpenAiStandin, type OpenAiStandin } from "./openai-standin";
import { collectSse } from "./sse";

/** The stand-in itself, spoken to with plain fetch: the wire format lib/inference/openai.ts relies on. */

const REPLY = madeUpReply(PROMPT);

let standin: OpenAiStandin;

beforeAll(async () => {
  standin = await startOpenAiStandin({ recordingsPath: null });
});
afterAll(async () => {
  await standin.stop();
});
beforeEach(() => standin.restore());

const post = (path: string, body: unknown, init: RequestInit = {}) =>
  fetch(`${standin.baseUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    ...init,
  });

const events = async (res: Response): Promise<unknown[]> =>
  (await collectSse(res)).map((f) => (f.data === "[DONE]" ? "[DONE]" : JSON.parse(f.data)));

type Chunk = {
  object: string;
  model: string;
  choices: { text?: string; delta?: { role?: string; content?: string }; finish_reason: string | null }[];
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
};

describe("openai stand-in: models and routes", () => {
  it("lists the served models like vLLM's GET /v1/models", async () => {
    const res = await fetch(`${standin.baseUrl}/models`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { object: string; data: { id: string; object: string; owned_by: string }[] };
    expect(body.object).toBe("list");
    expect(body.data.map((m) => m.id)).toEqual([...DEFAULT_OPENAI_MODELS]);
    expect(body.data[0]).toMatchObject({ object: "model", owned_by: "vllm" });
    standin.setModels(["only/one"]);
    const again = (await (await fetch(`${standin.baseUrl}/models`)).json()) as { data: { id: string }[] };
    expect(again.data.map((m) => m.id)).toEqual(["only/one"]);
  });

  it("answers vLLM's /health and /version, and FastAPI's 404 for unknown paths", async () => {
    expect((await fetch(`${standin.url}/health`)).status).toBe(200);
    expect(await (await fetch(`${standin.url}/version`)).json()).toEqual({ version: "0.11.0" });
    const res = await fetch(`${standin.url}/completions`, { method: "POST", body: "{}" });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ detail: "Not Found" });
  });

  it("records requests with their Authorization header", async () => {
    await fetch(`${standin.baseUrl}/models`, { headers: { authorization: "Bearer k" } });
    expect(standin.requests).toEqual([
      { path: "/v1/models", method: "GET", authorization: "Bearer k", body: undefined },
    ]);
  });
});

describe("openai stand-in: completions", () => {
  it("streams the made-up reply as text chunks, finish_reason on the last, then usage and [DONE]", async () => {
    const res = await post("/completions", {
      model: "mrizwank97/medgpt",
      prompt: PROMPT,
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 1024,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const evs = await events(res);
    expect(evs.at(-1)).toBe("[DONE]");
    const chunks = evs.slice(0, -1) as Chunk[];
    const withChoice = chunks.filter((c) => c.choices.length > 0);
    expect(withChoice.map((c) => c.choices[0]!.text).join("")).toBe(REPLY);
    expect(withChoice.length).toBe(splitIntoChunks(REPLY).length);
    expect(withChoice.at(-1)!.choices[0]!.finish_reason).toBe("stop");
    expect(withChoice.slice(0, -1).every((c) => c.choices[0]!.finish_reason === null)).toBe(true);
    expect(chunks.every((c) => c.object === "text_completion" && c.model === "mrizwank97/medgpt")).toBe(true);
    const usage = chunks.at(-1)!;
    expect(usage.choices).toEqual([]);
    expect(usage.usage).toMatchObject({
      completion_tokens: withChoice.length,
      prompt_tokens: Math.round(PROMPT.length / 4),
    });
    expect(REPLY).toMatch(/<answer>\nB: Sarcoidosis\n<\/answer>$/);
    expect(standin.stats).toMatchObject({ completed: 1, aborted: 0 });
  });

  it("sends no usage chunk without stream_options.include_usage", async () => {
    const evs = await events(await post("/completions", { model: "mrizwank97/medgpt", prompt: PROMPT, stream: true }));
    expect((evs.slice(0, -1) as Chunk[]).every((c) => c.choices.length === 1 && c.usage === undefined)).toBe(true);
  });

  it("max_tokens bounds the reply with finish_reason length; stop cuts it with finish_reason stop", async () => {
    const short = (
      await events(
        await post("/completions", { model: "mrizwank97/medgpt", prompt: PROMPT, stream: true, max_tokens: 3 }),
      )
    ).slice(0, -1) as Chunk[];
    expect(short).toHaveLength(3);
    expect(short.at(-1)!.choices[0]!.finish_reason).toBe("length");

    const res = await post("/completions", {
      model: "mrizwank97/medgpt",
      prompt: PROMPT,
      max_tokens: 1024,
      stop: ["</analysis>"],
    });
    const body = (await res.json()) as {
      object: string;
      choices: { text: string; finish_reason: string }[];
      usage: { completion_tokens: number };
    };
    expect(body.object).toBe("text_completion");
    expect(body.choices[0]!.text).toBe(REPLY.slice(0, REPLY.indexOf("</analysis>")));
    expect(body.choices[0]!.finish_reason).toBe("stop");
    expect(body.usage.completion_tokens).toBe(splitIntoChunks(body.choices[0]!.text).length);
  });

  it("rejects stream_options without stream, like vLLM", async () => {
    const res = await post("/completions", {
      model: "mrizwank97/medgpt",
      prompt: PROMPT,
      stream_options: { include_usage: true },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ object: "error", type: "BadRequestError", code: 400 });
  });

  it("an unknown model is 404 in vLLM's body, or OpenAI's with errorStyle openai", async () => {
    const res = await post("/completions", { model: "nope", prompt: PROMPT, stream: true });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      object: "error",
      message: "The model `nope` does not exist.",
      type: "NotFoundError",
      param: null,
      code: 404,
    });
    standin.setErrorStyle("openai");
    const openai = await post("/completions", { model: "nope", prompt: PROMPT });
    expect(await openai.json()).toEqual({
      error: {
        message: "The model `nope` does not exist or you do not have access to it.",
        type: "invalid_request_error",
        param: null,
        code: "model_not_found",
      },
    });
    standin.setErrorStyle("vllm-wrapped");
    const wrapped = await post("/completions", { model: "nope", prompt: PROMPT });
    expect(await wrapped.json()).toMatchObject({
      error: { message: "The model `nope` does not exist.", type: "NotFoundError", code: 404 },
    });
  });
});

describe("openai stand-in: chat completions", () => {
  it("streams a role chunk, content deltas, a finish chunk, usage and [DONE]", async () => {
    const res = await post("/chat/completions", {
      model: "google/gemma-2-2b-it",
      messages: [{ role: "user", content: PROMPT }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const evs = await events(res);
    expect(evs.at(-1)).toBe("[DONE]");
    const chunks = evs.slice(0, -1) as Chunk[];
    expect(chunks[0]!.choices[0]!.delta).toEqual({ role: "assistant", content: "" });
    expect(chunks.map((c) => c.choices[0]?.delta?.content ?? "").join("")).toBe(REPLY);
    expect(chunks.at(-2)!.choices[0]).toMatchObject({ delta: {}, finish_reason: "stop" });
    expect(chunks.at(-1)!.usage?.completion_tokens).toBe(splitIntoChunks(REPLY).length);
    expect(chunks.every((c) => c.object === "chat.completion.chunk")).toBe(true);
  });

  it("answers one chat.completion without stream", async () => {
    const res = await post("/chat/completions", {
      model: "google/gemma-2-2b-it",
      messages: [{ role: "user", content: PROMPT }],
    });
    expect(await res.json()).toMatchObject({
      object: "chat.completion",
      choices: [{ message: { role: "assistant", content: REPLY }, finish_reason: "stop" }],
      usage: { completion_tokens: splitIntoChunks(REPLY).length },
    });
  });
});

describe("openai stand-in: faults and auth", () => {
  const stream = () => post("/completions", { model: "mrizwank97/medgpt", prompt: PROMPT, stream: true });

  it("requires the API key when started with one", async () => {
    const locked = await startOpenAiStandin({ apiKey: "sekrit", recordingsPath: null });
    try {
      const none = await fetch(`${locked.baseUrl}/models`);
      expect(none.status).toBe(401);
      expect(await none.json()).toEqual({ error: "Unauthorized" });
      expect((await fetch(`${locked.baseUrl}/models`, { headers: { authorization: "Bearer sekrit" } })).status).toBe(
        200,
      );
    } finally {
      await locked.stop();
    }
  });

  it("http500, unauthorized, status and modelNotFound answer before streaming; times limits a fault", async () => {
    standin.setFault({ kind: "http500" }, { times: 1 });
    const r500 = await stream();
    expect(r500.status).toBe(500);
    expect(await r500.json()).toMatchObject({ object: "error", type: "InternalServerError", code: 500 });
    const ok = await stream();
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/data: \[DONE\]\n\n$/);

    standin.setFault({ kind: "unauthorized" });
    expect((await stream()).status).toBe(401);
    standin.setFault({ kind: "status", status: 503, body: { detail: "busy" } });
    const r503 = await stream();
    expect([r503.status, await r503.json()]).toEqual([503, { detail: "busy" }]);
    standin.setFault({ kind: "modelNotFound" });
    const r404 = await stream();
    expect(r404.status).toBe(404);
    expect(await r404.json()).toMatchObject({ message: "The model `mrizwank97/medgpt` does not exist." });
  });

  it("dieMidStream: some chunks, then the connection drops without [DONE]", async () => {
    standin.setFault({ kind: "dieMidStream", afterChunks: 3 });
    const res = await stream();
    expect(res.status).toBe(200);
    const seen: string[] = [];
    const err = await (async () => {
      try {
        for await (const f of readSseFrames(res.body!)) seen.push(f.data);
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(Error);
    expect(seen).toHaveLength(3);
    expect(seen).not.toContain("[DONE]");
    expect(standin.stats.aborted).toBe(0);
  });

  it("errorEventMidStream: chunks, an error event, then [DONE]", async () => {
    standin.setFault({ kind: "errorEventMidStream", afterChunks: 2, message: "CUDA out of memory" });
    const evs = await events(await stream());
    expect(evs).toHaveLength(4);
    expect(evs[2]).toMatchObject({ object: "error", message: "CUDA out of memory" });
    expect(evs[3]).toBe("[DONE]");
    standin.setErrorStyle("vllm-wrapped");
    const wrapped = await events(await stream());
    expect(wrapped[2]).toMatchObject({ error: { message: "CUDA out of memory", code: 500 } });
  });

  it("hangBeforeHeaders never answers, and the client's abort is seen", async () => {
    standin.setFault({ kind: "hangBeforeHeaders" });
    const controller = new AbortController();
    const pending = post(
      "/completions",
      { model: "mrizwank97/medgpt", prompt: PROMPT, stream: true },
      { signal: controller.signal },
    );
    await new Promise((r) => setTimeout(r, 100));
    expect(standin.stats.active).toBe(1);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await standin.waitForAbort(2000);
    expect(standin.stats).toMatchObject({ aborted: 1, completed: 0 });
  });

  it("token delay paces the chunks; cancelling mid-stream counts as an abort", async () => {
    standin.setTokenDelay(40);
    const started = performance.now();
    const res = await stream();
    const reader = res.body!.getReader();
    await reader.read();
    await reader.read();
    expect(performance.now() - started).toBeGreaterThanOrEqual(35);
    await reader.cancel();
    await standin.waitForAbort(2000);
    expect(standin.stats).toMatchObject({ aborted: 1, completed: 0, active: 0 });
  });

  it("goDown refuses connections until comeUp", async () => {
    await standin.goDown();
    const err = await fetch(`${standin.baseUrl}/models`).then(
      () => null,
      (e: unknown) => e as Error & { cause?: { code?: string } },
    );
    expect(err?.cause?.code).toBe("ECONNREFUSED");
    await standin.comeUp();
    expect((await fetch(`${standin.baseUrl}/models`)).status).toBe(200);
  });
});
