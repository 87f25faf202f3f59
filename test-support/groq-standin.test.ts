import Groq, { APIConnectionError, BadRequestError, RateLimitError } from "groq-sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_STANDIN_VERDICT, startGroqStandin, type GroqStandin } from "./groq-standin";

let standin: GroqStandin;
let client: Groq;

beforeAll(async () => {
  standin = await startGroqStandin();
  client = new Groq({ apiKey: "gsk_any", baseURL: standin.url, maxRetries: 0 });
});
afterAll(async () => {
  await standin.stop();
});
beforeEach(() => standin.reset());

const CHAT = "/openai/v1/chat/completions";
const jsonBody = <T extends object = object>(extra?: T) => ({
  model: "openai/gpt-oss-120b",
  messages: [{ role: "user" as const, content: "Reply in JSON." }],
  ...extra,
});
const JSON_MODE = { response_format: { type: "json_object" as const } };

async function post(body: unknown, headers: Record<string, string> = { authorization: "Bearer gsk_any" }) {
  const res = await fetch(`${standin.url}${CHAT}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

async function caught(p: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await p;
  } catch (e) {
    return e as Error & Record<string, unknown>;
  }
  throw new Error("expected a rejection");
}

describe("groq stand-in", () => {
  it("answers with the full chat.completion shape", async () => {
    standin.enqueue({ kind: "verdict", score: 4, explanation: "ok", reasoning: "thinking..." });
    const res = await post(jsonBody(JSON_MODE));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("x-ratelimit-remaining-requests")).toMatch(/^\d+$/);
    expect(res.body).toMatchObject({
      id: expect.stringMatching(/^chatcmpl-/),
      object: "chat.completion",
      created: expect.any(Number),
      model: "openai/gpt-oss-120b",
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: '{"score":4,"explanation":"ok"}', reasoning: "thinking..." },
          finish_reason: "stop",
          logprobs: null,
        },
      ],
      usage: {
        prompt_tokens: expect.any(Number),
        completion_tokens: expect.any(Number),
        total_tokens: expect.any(Number),
      },
      x_groq: { id: expect.stringMatching(/^req_/) },
    });
  });

  it("works through groq-sdk, and replies queue → responder → default", async () => {
    standin.enqueue({ kind: "content", content: "first" });
    standin.respondWith((_req, i) => ({ kind: "content", content: `responder ${i}` }));
    const say = async () => (await client.chat.completions.create(jsonBody())).choices[0]?.message.content;
    expect(await say()).toBe("first");
    expect(await say()).toBe("responder 1");
    standin.respondWith(null);
    const c = await client.chat.completions.create(jsonBody());
    expect(c.choices[0]?.message.content).toBe(JSON.stringify({ score: 4, explanation: "Stand-in default verdict." }));
    expect(DEFAULT_STANDIN_VERDICT.kind).toBe("verdict");
    expect(standin.chatRequests().map((r) => r.reply)).toEqual(["content", "content", "verdict"]);
    expect(standin.chatRequests()[0]?.body).toMatchObject({
      model: "openai/gpt-oss-120b",
      messages: [{ role: "user" }],
    });
  });

  it("sends malformed content verbatim, and a cut-off reply with finish_reason length", async () => {
    standin.enqueue(
      { kind: "content", content: '{"score": 4, "expl' },
      { kind: "content", content: null, finishReason: "length" },
    );
    const a = await client.chat.completions.create(jsonBody());
    expect(a.choices[0]?.message.content).toBe('{"score": 4, "expl');
    const b = await client.chat.completions.create(jsonBody());
    expect(b.choices[0]).toMatchObject({ finish_reason: "length", message: { content: null } });
  });

  it("429: Groq's body and retry-after headers, as groq-sdk's RateLimitError", async () => {
    standin.enqueue({ kind: "rateLimit", retryAfter: "86400", limitType: "requests" });
    const err = await caught(client.chat.completions.create(jsonBody()));
    expect(err).toBeInstanceOf(RateLimitError);
    const rl = err as unknown as RateLimitError;
    expect(rl.status).toBe(429);
    expect(rl.headers.get("retry-after")).toBe("86400");
    expect(rl.error).toEqual({
      error: {
        message: expect.stringMatching(/^Rate limit reached for model `openai\/gpt-oss-120b`.*requests per day/),
        type: "requests",
        code: "rate_limit_exceeded",
      },
    });

    standin.enqueue({ kind: "rateLimit", retryAfterMs: "250" });
    const raw = await post(jsonBody());
    expect(raw.status).toBe(429);
    expect(raw.headers.get("retry-after-ms")).toBe("250");
    expect(raw.headers.get("retry-after")).toBeNull();
    expect(raw.body).toMatchObject({ error: { type: "tokens", code: "rate_limit_exceeded" } });
  });

  it("500/503 with a Groq-style error body", async () => {
    standin.enqueue({ kind: "serverError" }, { kind: "serverError", status: 503 });
    expect(await post(jsonBody())).toMatchObject({
      status: 500,
      body: { error: { message: "Internal Server Error", type: "internal_server_error" } },
    });
    expect(await post(jsonBody())).toMatchObject({ status: 503, body: { error: { message: "Service Unavailable" } } });
  });

  it("400 json_validate_failed carries failed_generation", async () => {
    standin.enqueue({ kind: "jsonValidateFailed", failedGeneration: "Score: 4" });
    const err = await caught(client.chat.completions.create(jsonBody(JSON_MODE)));
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as unknown as BadRequestError).error).toEqual({
      error: {
        message: "Failed to generate JSON. Please adjust your prompt. See 'failed_generation' for more details.",
        type: "invalid_request_error",
        code: "json_validate_failed",
        failed_generation: "Score: 4",
      },
    });
  });

  it("any status and body", async () => {
    standin.enqueue({
      kind: "status",
      status: 498,
      body: { error: { message: "Flex tier capacity exceeded", type: "capacity" } },
      headers: { "x-test": "1" },
    });
    const res = await post(jsonBody());
    expect(res).toMatchObject({ status: 498, body: { error: { message: "Flex tier capacity exceeded" } } });
    expect(res.headers.get("x-test")).toBe("1");
  });

  it("validates like Groq: key, model, the word JSON in json mode, unknown URLs", async () => {
    expect(await post(jsonBody(), {})).toMatchObject({ status: 401, body: { error: { code: "invalid_api_key" } } });
    expect(await post(jsonBody({ model: "mixtral-8x7b-32768" }))).toMatchObject({
      status: 404,
      body: { error: { code: "model_not_found" } },
    });
    const noJson = await post({
      model: "openai/gpt-oss-20b",
      messages: [{ role: "user", content: "hi" }],
      response_format: { type: "json_object" },
    });
    expect(noJson).toMatchObject({
      status: 400,
      body: { error: { message: expect.stringContaining("must contain the word 'json'") } },
    });
    const unknown = await fetch(`${standin.url}/openai/v1/embeddings`, {
      method: "POST",
      headers: { authorization: "Bearer k" },
      body: "{}",
    });
    expect(unknown.status).toBe(404);
    // Validation failures do not consume queued replies.
    standin.enqueue({ kind: "content", content: "still queued" });
    await post(jsonBody({ model: "nope" }));
    expect((await post(jsonBody())).body).toMatchObject({ choices: [{ message: { content: "still queued" } }] });
  });

  it("insists on a specific key when given one", async () => {
    const strict = await startGroqStandin({ apiKey: "gsk_right" });
    try {
      const wrong = new Groq({ apiKey: "gsk_wrong", baseURL: strict.url, maxRetries: 0 });
      expect((await caught(wrong.models.list())).status).toBe(401);
      const right = new Groq({ apiKey: "gsk_right", baseURL: strict.url, maxRetries: 0 });
      expect((await right.models.list()).data.length).toBe(2);
    } finally {
      await strict.stop();
    }
  });

  it("lists models", async () => {
    const list = await client.models.list();
    expect(list.data.map((m) => m.id)).toEqual(["openai/gpt-oss-120b", "openai/gpt-oss-20b"]);
    expect(list.data[0]).toMatchObject({ object: "model", owned_by: "OpenAI", active: true, context_window: 131072 });
    expect((await client.models.retrieve("openai/gpt-oss-20b")).id).toBe("openai/gpt-oss-20b");
    expect(standin.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /openai/v1/models",
      "GET /openai/v1/models/openai%2Fgpt-oss-20b",
    ]);
  });

  it("hang: counts the client's abort; drop: the client sees a connection error", async () => {
    standin.enqueue({ kind: "hang" }, { kind: "drop" });
    const controller = new AbortController();
    const p = client.chat.completions.create(jsonBody(), { signal: controller.signal });
    await standin.waitForChatRequests(1);
    controller.abort();
    await expect(p).rejects.toThrow(/abort/i);
    await expect.poll(() => standin.stats.aborted).toBe(1);

    const err = await caught(client.chat.completions.create(jsonBody()));
    expect(err).toBeInstanceOf(APIConnectionError);
  });

  it("rejects streaming requests clearly", async () => {
    expect(await post(jsonBody({ stream: true }))).toMatchObject({
      status: 400,
      body: { error: { message: expect.stringContaining("does not stream") } },
    });
  });
});
