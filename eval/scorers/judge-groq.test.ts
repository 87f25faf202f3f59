import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { isAbortError } from "@/lib/errors";
import { JudgeError } from "@/eval/types";
import { recordingSleep, rejection } from "@/test-support/async";
import { startGroqStandin, type GroqStandin } from "@/test-support/groq-standin";
import { defaultJudgeMessages, judgeInput } from "@/test-support/judge-fixtures";
import { DEFAULT_JUDGE_SYSTEM_PROMPT, JUDGE_USER_TEMPLATE } from "./judge-prompt";
import { DEFAULT_GROQ_JUDGE_MODEL, createGroqJudge, type GroqJudgeOptions } from "./judge-groq";

const INPUT = judgeInput({
  options: { A: "Asthma", B: "Sarcoidosis", C: "Tuberculosis", D: "Lymphoma" },
  referenceReasoning: null,
  modelOutput: "<analysis>Hilar nodes in a young woman.</analysis>\n<answer>B: Sarcoidosis</answer>",
});

let standin: GroqStandin;
beforeAll(async () => {
  standin = await startGroqStandin({ apiKey: "gsk_test" });
});
afterAll(async () => {
  await standin.stop();
});
beforeEach(() => standin.reset());

function judgeWith(over: Partial<GroqJudgeOptions> = {}) {
  const { delays, sleep } = recordingSleep();
  const judge = createGroqJudge({
    apiKey: "gsk_test",
    baseURL: standin.url,
    ...over,
    backoff: { sleep, random: () => 0.5, ...over.backoff },
  });
  return { judge, delays };
}

const run = (judge: ReturnType<typeof createGroqJudge>, signal = new AbortController().signal) =>
  judge.judge(INPUT, signal);

describe("Groq judge through groq-sdk and the stand-in", () => {
  it("scores a normal verdict and sends a JSON-mode, temperature-0 request", async () => {
    standin.enqueue({ kind: "verdict", score: 5, explanation: "Correct and clear." });
    const { judge } = judgeWith();
    const verdict = await run(judge);
    expect(verdict).toEqual({
      status: "scored",
      score: 5,
      explanation: "Correct and clear.",
      raw: '{"score":5,"explanation":"Correct and clear."}',
      attempts: 1,
    });

    const [req] = standin.chatRequests();
    expect(req?.headers.authorization).toBe("Bearer gsk_test");
    expect(req?.body).toMatchObject({
      model: DEFAULT_GROQ_JUDGE_MODEL,
      temperature: 0,
      response_format: { type: "json_object" },
      max_completion_tokens: judge.spec.params.maxTokens,
      messages: defaultJudgeMessages(),
    });
    expect(judge.id).toBe("groq:openai/gpt-oss-120b");
    expect(judge.spec).toEqual({
      provider: "groq",
      model: "openai/gpt-oss-120b",
      systemPrompt: DEFAULT_JUDGE_SYSTEM_PROMPT,
      userPromptTemplate: JUDGE_USER_TEMPLATE,
      params: { temperature: 0, maxTokens: 2048, responseFormat: "json_object" },
    });
  });

  it("reads a score sent as a string, and uses the configured model", async () => {
    standin.enqueue({ kind: "verdict", score: "3", explanation: "Weak reasoning." });
    const { judge } = judgeWith({ model: "openai/gpt-oss-20b" });
    expect(await run(judge)).toMatchObject({ status: "scored", score: 3 });
    expect(standin.chatRequests()[0]?.body).toMatchObject({ model: "openai/gpt-oss-20b" });
    expect(judge.id).toBe("groq:openai/gpt-oss-20b");
  });

  it("rides out a burst of 429s, waiting what retry-after asks (with jitter, under the cap)", async () => {
    standin.enqueue(
      { kind: "rateLimit", retryAfter: "2" },
      { kind: "rateLimit", retryAfter: "7" },
      { kind: "rateLimit", retryAfterMs: "350" },
      { kind: "verdict", score: 4, explanation: "ok" },
    );
    const { judge, delays } = judgeWith({ backoff: { baseMs: 1000, retryAfterCapMs: 60_000 } });
    expect(await run(judge)).toMatchObject({ status: "scored", score: 4, attempts: 4 });
    expect(standin.chatRequests().map((r) => r.reply)).toEqual(["rateLimit", "rateLimit", "rateLimit", "verdict"]);
    expect(delays).toEqual([2500, 7500, 850]);
  });

  it("gives up at once on a daily-quota 429 (retry-after 86400) instead of sleeping for a day", async () => {
    standin.enqueue({ kind: "rateLimit", retryAfter: "86400", limitType: "requests" });
    const { judge, delays } = judgeWith({ backoff: { retryAfterCapMs: 90_000 } });
    const err = await rejection(run(judge));
    expect(err).toBeInstanceOf(JudgeError);
    expect(err.message).toMatch(/asked to wait 86400 s before retrying, more than the 90 s cap/);
    expect(err.message).toMatch(/Groq 429 rate_limit_exceeded: Rate limit reached/);
    expect((err as JudgeError).attempts).toBe(1);
    expect(delays).toEqual([]);
    expect(standin.chatRequests()).toHaveLength(1);
  });

  it("does not hang on retry-after 86400 with the real sleep and default settings either", async () => {
    standin.enqueue({ kind: "rateLimit", retryAfter: "86400" });
    const judge = createGroqJudge({ apiKey: "gsk_test", baseURL: standin.url });
    // Resolving at all (within the test timeout) is the assertion: groq-sdk alone would sleep 24 h here.
    await expect(run(judge)).rejects.toThrow(/86400 s/);
  });

  it("retries 5xx and dropped connections with exponential backoff", async () => {
    standin.enqueue(
      { kind: "serverError" },
      { kind: "serverError", status: 503 },
      { kind: "drop" },
      { kind: "verdict", score: 2 },
    );
    const { judge, delays } = judgeWith({ backoff: { baseMs: 100, maxDelayMs: 1000 } });
    expect(await run(judge)).toMatchObject({ status: "scored", score: 2, explanation: "", attempts: 4 });
    expect(delays).toEqual([50, 100, 200]);
  });

  it("throws JudgeError when 5xx outlasts maxAttempts", async () => {
    standin.respondWith(() => ({ kind: "serverError", status: 502, message: "Bad Gateway" }));
    const { judge } = judgeWith({ backoff: { maxAttempts: 3 } });
    const err = await rejection(run(judge));
    expect(err).toBeInstanceOf(JudgeError);
    expect(err.message).toBe("gave up after 3 attempts: Groq 502: Bad Gateway");
    expect((err as JudgeError).attempts).toBe(3);
    expect(standin.chatRequests()).toHaveLength(3);
  });

  it("keeps malformed judge JSON as unparseable with its raw text and no score, without retrying", async () => {
    const raw = '{"score": 4, "explanation": "The answer is right but';
    standin.enqueue({ kind: "content", content: raw });
    const { judge } = judgeWith();
    const verdict = await run(judge);
    expect(verdict).toEqual({
      status: "unparseable",
      raw,
      attempts: 1,
      error: "no JSON object found in the judge reply",
    });
    expect(verdict).not.toHaveProperty("score");
    expect(standin.chatRequests()).toHaveLength(1);
  });

  it("notes a reply cut off at max tokens", async () => {
    standin.enqueue({
      kind: "content",
      content: null,
      finishReason: "length",
      reasoning: "Let me think about hilar nodes...",
    });
    const verdict = await run(judgeWith().judge);
    expect(verdict).toMatchObject({
      status: "unparseable",
      raw: "",
      error: expect.stringContaining("cut off at max tokens"),
    });
  });

  describe("json_validate_failed (400)", () => {
    it("reads a verdict from failed_generation when it states one clearly", async () => {
      const failed = 'Here is the grade:\n```json\n{"score": 4, "explanation": "Right option, thin reasoning."}\n```';
      standin.enqueue({ kind: "jsonValidateFailed", failedGeneration: failed });
      const verdict = await run(judgeWith().judge);
      expect(verdict).toEqual({
        status: "scored",
        score: 4,
        explanation: "Right option, thin reasoning.",
        raw: failed,
        attempts: 1,
      });
      expect(standin.chatRequests()).toHaveLength(1);
    });

    it("records an unreadable failed_generation as unparseable, keeping the text", async () => {
      const failed = "I would rate this a solid four out of five";
      standin.enqueue({ kind: "jsonValidateFailed", failedGeneration: failed });
      const verdict = await run(judgeWith().judge);
      expect(verdict).toMatchObject({
        status: "unparseable",
        raw: failed,
        attempts: 1,
        error: expect.stringMatching(/json_validate_failed: Failed to generate JSON/),
      });
      expect(verdict).not.toHaveProperty("score");
    });

    it("without failed_generation it is unparseable with empty raw", async () => {
      standin.enqueue({ kind: "jsonValidateFailed" });
      expect(await run(judgeWith().judge)).toMatchObject({
        status: "unparseable",
        raw: "",
        error: expect.stringMatching(/empty judge reply.*json_validate_failed/),
      });
    });
  });

  it("other 4xx are JudgeErrors at once: invalid key, unknown model", async () => {
    const badKey = createGroqJudge({
      apiKey: "gsk_wrong",
      baseURL: standin.url,
      backoff: { sleep: recordingSleep().sleep },
    });
    const e1 = await rejection(run(badKey));
    expect(e1).toBeInstanceOf(JudgeError);
    expect(e1.message).toBe("Groq 401 invalid_api_key: Invalid API Key");
    expect((e1 as JudgeError).attempts).toBe(1);

    const retired = judgeWith({ model: "mixtral-8x7b-32768" }).judge;
    const e2 = await rejection(run(retired));
    expect(e2.message).toMatch(/^Groq 404 model_not_found: The model `mixtral-8x7b-32768` does not exist/);
    expect(standin.chatRequests()).toHaveLength(2);
  });

  it("aborts a call in flight promptly with an AbortError, and the server sees the disconnect", async () => {
    standin.enqueue({ kind: "hang" });
    const controller = new AbortController();
    const p = run(judgeWith().judge, controller.signal);
    await standin.waitForChatRequests(1);
    controller.abort();
    const err = await rejection(p);
    expect(err.name).toBe("AbortError");
    expect(isAbortError(err)).toBe(true);
    await vi.waitFor(() => expect(standin.stats.aborted).toBe(1));
  });

  it("aborts during a rate-limit wait with the real sleep", async () => {
    standin.enqueue({ kind: "rateLimit", retryAfter: "30" });
    const controller = new AbortController();
    const judge = createGroqJudge({
      apiKey: "gsk_test",
      baseURL: standin.url,
      backoff: { onRetry: () => controller.abort() },
    });
    expect(isAbortError(await rejection(run(judge, controller.signal)))).toBe(true);
    expect(standin.chatRequests()).toHaveLength(1);
  });

  it("retries its own request timeout, then gives up with a JudgeError", async () => {
    standin.respondWith(() => ({ kind: "hang" }));
    const { judge, delays } = judgeWith({ timeoutMs: 100, backoff: { maxAttempts: 2 } });
    const err = await rejection(run(judge));
    expect(err).toBeInstanceOf(JudgeError);
    expect(err.message).toMatch(/gave up after 2 attempts: Groq connection failed: Request timed out/);
    expect(delays).toHaveLength(1);
  });

  it("needs an API key", () => {
    expect(() => createGroqJudge({ apiKey: "" })).toThrow(/GROQ_API_KEY/);
  });
});
