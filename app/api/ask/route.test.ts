import { readFileSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "@/lib/api-error";
import { streamAsk } from "@/lib/ask/client";
import { parseInput } from "@/lib/prompt";
import {
  AnswerEventSchema,
  AskResponseSchema,
  DoneEventSchema,
  ErrorBodySchema,
  TokenEventSchema,
  type AskEvent,
} from "@/lib/schemas/ask";
import { expectError, jsonRequest } from "@/test-support/api";
import { rejection } from "@/test-support/async";
import { ASK_URL, startAskStandin } from "@/test-support/ask";
import { madeUpReply, type OllamaStandin } from "@/test-support/ollama-standin";
import { plantedProbabilities } from "@/test-support/planted-logprobs";
import { hasShared, sharedPath } from "@/test-support/shared-data";
import { GET, POST } from "./route";

/**
 * POST /api/ask end to end against the Ollama stand-in: the real route, service, prompt builder, answer
 * parser and ollama client; only the model server is a double.
 */

const CASE =
  "A 30-year-old woman has a dry cough, erythema nodosum and bilateral hilar lymphadenopathy. Which is most likely?";
const OPTIONS = { A: "Asthma", B: "Sarcoidosis", C: "Tuberculosis", D: "GERD", E: "Lupus" };

let standin: OllamaStandin;

beforeAll(async () => {
  standin = await startAskStandin();
  // The defaults asserted below (num_predict 1024, no top_p, ...), whatever the developer's environment holds.
  for (const k of [
    "MEDGPT_MAX_TOKENS",
    "MEDGPT_UPSTREAM_TIMEOUT_MS",
    "MEDGPT_PROMPT_FORMATS",
    "MEDGPT_TOP_P",
    "MEDGPT_NUM_CTX",
  ])
    vi.stubEnv(k, "");
});
afterAll(async () => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await standin.stop();
});
beforeEach(() => standin.restore());

const ask = (body: unknown): Promise<Response> => POST(jsonRequest(ASK_URL, body));
/** streamAsk's fetch, answered by the route in-process. */
const fetchImpl = (url: RequestInfo | URL, init?: RequestInit) =>
  POST(new Request(`http://localhost${String(url)}`, init));

type Frame = { event: string; data: unknown };

/** Reads the whole SSE body with an independent, strict parser: `event: x\ndata: {json}\n\n` frames only. */
async function frames(res: Response): Promise<Frame[]> {
  const text = await res.text();
  expect(text.endsWith("\n\n")).toBe(true);
  return text
    .slice(0, -2)
    .split("\n\n")
    .map((block) => {
      const m = /^event: (\w+)\ndata: (.*)$/.exec(block);
      if (!m) throw new Error(`malformed SSE frame: ${JSON.stringify(block)}`);
      return { event: m[1]!, data: JSON.parse(m[2]!) as unknown };
    });
}

const generateCalls = () => standin.requests.filter((r) => r.path === "/api/generate" || r.path === "/api/chat");
const lastGenerateBody = () => {
  const calls = generateCalls();
  expect(calls).toHaveLength(1);
  return calls[0]!.body as Record<string, unknown> & { options: Record<string, unknown> };
};

describe("POST /api/ask, streaming (default)", () => {
  it("streams token events, then exactly one answer, then done; the answer is the option the reply names", async () => {
    const res = await ask({ case: CASE, options: OPTIONS });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(res.headers.get("cache-control")).toContain("no-cache");

    const evs = await frames(res);
    const kinds = evs.map((e) => e.event);
    const tokens = evs.filter((e) => e.event === "token").map((e) => TokenEventSchema.parse(e.data).text);
    expect(tokens.length).toBeGreaterThan(5);
    // token* answer done, nothing else, nothing after done
    expect(kinds).toEqual([...tokens.map(() => "token"), "answer", "done"]);

    // What the stand-in replied (its made-up reply names option B) arrived token by token, unmodified.
    const sent = lastGenerateBody();
    const reply = madeUpReply(String(sent.prompt));
    expect(reply).toContain("B: Sarcoidosis");
    expect(tokens.join("")).toBe(reply);

    const answer = AnswerEventSchema.parse(evs.at(-2)!.data);
    expect(answer).toMatchObject({ letter: "B", text: "Sarcoidosis", formatOk: true });
    expect(answer.analysis).toContain("hilar lymphadenopathy");

    const done = DoneEventSchema.parse(evs.at(-1)!.data);
    expect(done.model).toBe("mrizwank97/medgpt");
    expect(done.backend).toBe("ollama");
    // The stand-in's eval_count is the number of chunks it sent, one token event each.
    expect(done.timings.evalCount).toBe(tokens.length);
    expect(done.timings.firstTokenMs).not.toBeNull();
    expect(done.timings.totalMs).toBeGreaterThanOrEqual(done.timings.firstTokenMs!);
    expect(done.timings.tokensPerSecond).toBeGreaterThan(0);
  });

  it("the fine-tune gets its raw training-format prompt; default num_predict is 1024", async () => {
    await frames(await ask({ case: CASE, options: OPTIONS }));
    const body = lastGenerateBody();
    expect(generateCalls()[0]!.path).toBe("/api/generate");
    expect(body).toMatchObject({ model: "mrizwank97/medgpt", raw: true, stream: true });
    expect(String(body.prompt)).toMatch(/^<start_of_turn>user /);
    expect(String(body.prompt)).toContain(`Q:${CASE}? \n{'A': 'Asthma', 'B': 'Sarcoidosis'`);
    expect(String(body.prompt).endsWith("<start_of_turn>model")).toBe(true);
    expect(body.options.num_predict).toBe(1024);
    expect(body.options).not.toHaveProperty("seed");
    expect(body.options).not.toHaveProperty("temperature");
  });

  it("seed, temperature and maxTokens reach the model server as options.seed/temperature/num_predict", async () => {
    const evs = await frames(await ask({ case: CASE, options: OPTIONS, seed: 42, temperature: 0.3, maxTokens: 5 }));
    expect(lastGenerateBody().options).toMatchObject({ seed: 42, temperature: 0.3, num_predict: 5 });
    // The stand-in honours num_predict: 5 tokens, so the reply is cut before any answer.
    expect(evs.filter((e) => e.event === "token")).toHaveLength(5);
    expect(AnswerEventSchema.parse(evs.at(-2)!.data)).toMatchObject({ letter: null, formatOk: false });
    expect(DoneEventSchema.parse(evs.at(-1)!.data).timings.evalCount).toBe(5);
  });

  it("seed 0 and temperature 0 are sent, not dropped as falsy", async () => {
    await frames(await ask({ case: CASE, options: OPTIONS, seed: 0, temperature: 0 }));
    expect(lastGenerateBody().options).toMatchObject({ seed: 0, temperature: 0 });
  });

  it("a two-option question works and the letter comes from the offered options", async () => {
    const evs = await frames(await ask({ case: CASE, options: { A: "Asthma", B: "Sarcoidosis" } }));
    expect(AnswerEventSchema.parse(evs.at(-2)!.data)).toMatchObject({ letter: "B", text: "Sarcoidosis" });
  });

  it("streamAsk (the browser client) decodes the same stream into validated events", async () => {
    const events: AskEvent[] = [];
    await streamAsk({ case: CASE, options: OPTIONS }, { onEvent: (ev) => events.push(ev), fetchImpl });
    expect(events.at(-1)?.event).toBe("done");
    const answer = events.find((e) => e.event === "answer");
    expect(answer?.data).toMatchObject({ letter: "B" });
    expect(events.filter((e) => e.event === "token").length).toBeGreaterThan(5);
  });
});

describe("POST /api/ask, stream: false", () => {
  it("answers one JSON object matching AskResponse, raw holding the reply", async () => {
    const res = await ask({ case: CASE, options: OPTIONS, stream: false });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const body = AskResponseSchema.parse(await res.json());
    const reply = madeUpReply(String(lastGenerateBody().prompt));
    expect(body.raw).toBe(reply);
    expect(body.answer).toMatchObject({ letter: "B", text: "Sarcoidosis", formatOk: true });
    expect(body.formatOk).toBe(true);
    expect(body.analysis).toContain("hilar lymphadenopathy");
    expect(body.analysis).not.toContain("<analysis>");
    expect(body.model).toBe("mrizwank97/medgpt");
    expect(body.backend).toBe("ollama");
    expect(body.timings.evalCount).toBeGreaterThan(5);
    expect(body.timings.totalMs).toBeGreaterThanOrEqual(body.timings.firstTokenMs ?? 0);
  });

  it("options reach the model server the same way", async () => {
    const res = await ask({ case: CASE, options: OPTIONS, stream: false, seed: 7, temperature: 1.5, maxTokens: 3 });
    const body = AskResponseSchema.parse(await res.json());
    expect(lastGenerateBody().options).toMatchObject({ seed: 7, temperature: 1.5, num_predict: 3 });
    expect(body.timings.evalCount).toBe(3);
    expect(body.answer).toMatchObject({ letter: null, text: null, confidence: null, probabilities: null });
  });
});

describe("per-option probabilities", () => {
  const expected = plantedProbabilities("B", ["A", "B", "C", "D", "E"]);

  it("stream: false → answer.confidence and answer.probabilities match the planted log-probabilities", async () => {
    const body = AskResponseSchema.parse(await (await ask({ case: CASE, options: OPTIONS, stream: false })).json());
    expect(lastGenerateBody()).toMatchObject({ logprobs: true, top_logprobs: 10 });
    expect(body.answer.confidence).toBeCloseTo(expected.B!, 5);
    for (const [l, p] of Object.entries(expected)) expect(body.answer.probabilities?.[l as "A"]).toBeCloseTo(p, 5);
    const sum = Object.values(body.answer.probabilities ?? {}).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 5);
  });

  it("the stream's answer event carries the very same answer object as JSON mode", async () => {
    const json = AskResponseSchema.parse(await (await ask({ case: CASE, options: OPTIONS, stream: false })).json());
    standin.restore();
    const evs = await frames(await ask({ case: CASE, options: OPTIONS }));
    expect(AnswerEventSchema.parse(evs.at(-2)!.data)).toEqual(json.answer);
  });

  it("only the offered letters count: with options A–C the probabilities have three entries summing to 1", async () => {
    const three = { A: "Asthma", B: "Sarcoidosis", C: "Tuberculosis" };
    const body = AskResponseSchema.parse(await (await ask({ case: CASE, options: three, stream: false })).json());
    expect(Object.keys(body.answer.probabilities ?? {}).sort()).toEqual(["A", "B", "C"]);
    expect(body.answer.confidence).toBeCloseTo(plantedProbabilities("B", ["A", "B", "C"]).B!, 5);
  });

  it("a reply that names no option has neither confidence nor probabilities", async () => {
    const body = AskResponseSchema.parse(
      await (await ask({ case: CASE, options: OPTIONS, stream: false, maxTokens: 3 })).json(),
    );
    expect(body.answer).toMatchObject({ letter: null, confidence: null, probabilities: null });
  });
});

describe("a model server that sends no log-probabilities (Ollama before 0.12.11)", () => {
  it("still serves the answer, with confidence and probabilities null", async () => {
    const { startOllamaStandin } = await import("@/test-support/ollama-standin");
    const old = await startOllamaStandin({ version: "0.12.10" });
    try {
      const { OllamaBackend } = await import("@/lib/inference/ollama");
      const { askOnce } = await import("@/lib/ask/service");
      const { loadConfig } = await import("@/lib/config");
      const backend = new OllamaBackend({ host: old.url, timeoutMs: 5000 });
      const r = await askOnce(
        { case: CASE, options: OPTIONS, stream: false },
        { backend, config: loadConfig({}) },
        new AbortController().signal,
      );
      expect(r.answer).toMatchObject({ letter: "B", text: "Sarcoidosis", confidence: null, probabilities: null });
    } finally {
      await old.stop();
    }
  });
});

describe.skipIf(!hasShared)("POST /api/ask with the recorded replies (../shared)", () => {
  const rows = hasShared
    ? readFileSync(sharedPath("data", "medical-reasoning-test93.jsonl"), "utf8")
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((l) => JSON.parse(l) as { input: string })
    : [];

  it("case 0 with the fine-tune answers D, as recorded, from a raw prompt ending in <start_of_turn>model", async () => {
    const { caseText, options } = parseInput(rows[0]!.input);
    const evs = await frames(await ask({ case: caseText, options }));
    const answer = AnswerEventSchema.parse(evs.at(-2)!.data);
    expect(answer.letter).toBe("D");
    expect(answer.text).toBe(options.D);
    expect(answer.formatOk).toBe(true);
    // Real model text too: the letter's token is found after <answer> and the planted alternatives are read.
    expect(answer.confidence).toBeCloseTo(plantedProbabilities("D", ["A", "B", "C", "D", "E"]).D!, 5);
    const body = lastGenerateBody();
    expect(generateCalls()[0]!.path).toBe("/api/generate");
    expect(body.raw).toBe(true);
    expect(String(body.prompt).endsWith("<start_of_turn>model")).toBe(true);
    // The recorded reply was replayed (not the stand-in's made-up one, which would name B).
    expect(
      evs
        .filter((e) => e.event === "token")
        .map((e) => (e.data as { text: string }).text)
        .join(""),
    ).toContain("RET proto-oncogene");
  });

  it("case 0 with gemma2:2b goes through the chat endpoint and the base model's reply names no option", async () => {
    const { caseText, options } = parseInput(rows[0]!.input);
    const res = await ask({ case: caseText, options, model: "gemma2:2b", stream: false });
    expect(res.status).toBe(200);
    const body = AskResponseSchema.parse(await res.json());
    expect(generateCalls()[0]!.path).toBe("/api/chat");
    expect(lastGenerateBody()).not.toHaveProperty("raw");
    expect(body.answer).toMatchObject({ letter: null, confidence: null, probabilities: null });
    expect(body.formatOk).toBe(false);
    expect(body.model).toBe("gemma2:2b");
  });
});

describe("POST /api/ask errors before any output get a real HTTP status", () => {
  for (const stream of [true, false]) {
    describe(`stream: ${stream}`, () => {
      it("model server down → 503 upstream_unavailable, fix says how to start Ollama", async () => {
        await standin.goDown();
        const err = await expectError(await ask({ case: CASE, options: OPTIONS, stream }), 503, "upstream_unavailable");
        expect(err.message).toContain(standin.url);
        expect(err.fix).toContain("ollama serve");
      });

      it("unknown model → 404 model_not_found, fix is the exact `ollama pull`", async () => {
        const err = await expectError(
          await ask({ case: CASE, options: OPTIONS, stream, model: "llama3.2:1b" }),
          404,
          "model_not_found",
        );
        expect(err.message).toContain("llama3.2:1b");
        expect(err.fix).toContain("ollama pull llama3.2:1b");
      });

      it("default model not pulled → 404 model_not_found naming it", async () => {
        standin.setModels(["gemma2:2b"]);
        const err = await expectError(await ask({ case: CASE, options: OPTIONS, stream }), 404, "model_not_found");
        expect(err.fix).toContain("ollama pull mrizwank97/medgpt");
      });

      it("model server answers 500 → 502 upstream_error", async () => {
        standin.setFault({ kind: "http500" });
        const err = await expectError(await ask({ case: CASE, options: OPTIONS, stream }), 502, "upstream_error");
        expect(err.message).toContain("500");
      });

      it("model server busy (503 status) → 502 upstream_error with its message", async () => {
        standin.setFault({ kind: "status", status: 503, error: "server busy, please try again." });
        const err = await expectError(await ask({ case: CASE, options: OPTIONS, stream }), 502, "upstream_error");
        expect(err.message).toContain("server busy");
      });

      it("connection dropped before the first token → 502 upstream_error", async () => {
        standin.setFault({ kind: "dieMidStream", afterChunks: 0 });
        await expectError(await ask({ case: CASE, options: OPTIONS, stream }), 502, "upstream_error");
      });

      it("the model server recovers: the next ask after a fault succeeds", async () => {
        standin.setFault({ kind: "http500" }, { times: 1 });
        expect((await ask({ case: CASE, options: OPTIONS, stream })).status).toBe(502);
        const res = await ask({ case: CASE, options: OPTIONS, stream });
        expect(res.status).toBe(200);
        await res.text();
      });
    });
  }

  it("stream:false failure after some tokens → 502 upstream_error (dieMidStream)", async () => {
    standin.setFault({ kind: "dieMidStream", afterChunks: 3 });
    await expectError(await ask({ case: CASE, options: OPTIONS, stream: false }), 502, "upstream_error");
  });

  it("stream:false failure after some tokens → 502 upstream_error carrying Ollama's message (error line)", async () => {
    standin.setFault({ kind: "errorLineMidStream", afterChunks: 3, error: "CUDA out of memory" });
    const err = await expectError(await ask({ case: CASE, options: OPTIONS, stream: false }), 502, "upstream_error");
    expect(err.message).toContain("CUDA out of memory");
  });

  it("GET /api/ask → 405 with Allow: POST", async () => {
    const res = GET();
    expect(res.headers.get("allow")).toBe("POST");
    await expectError(res, 405, "method_not_allowed");
  });
});

describe("POST /api/ask failures after streaming began end the stream with one error event", () => {
  it("connection dies after 3 chunks → 200, 3 tokens, then error upstream_error, and the stream ends", async () => {
    standin.setFault({ kind: "dieMidStream", afterChunks: 3 });
    const res = await ask({ case: CASE, options: OPTIONS });
    expect(res.status).toBe(200);
    const evs = await frames(res); // resolves only if the stream ends
    expect(evs.map((e) => e.event)).toEqual(["token", "token", "token", "error"]);
    const err = ErrorBodySchema.parse(evs.at(-1)!.data);
    expect(err.code).toBe("upstream_error");
    expect(err.fix).toBeTruthy();
  });

  it("an error line after 2 chunks → error event carrying Ollama's message, and the stream ends", async () => {
    standin.setFault({
      kind: "errorLineMidStream",
      afterChunks: 2,
      error: "an error was encountered while running the model: CUDA out of memory",
    });
    const res = await ask({ case: CASE, options: OPTIONS });
    expect(res.status).toBe(200);
    const evs = await frames(res);
    expect(evs.map((e) => e.event)).toEqual(["token", "token", "error"]);
    const err = ErrorBodySchema.parse(evs.at(-1)!.data);
    expect(err.code).toBe("upstream_error");
    expect(err.message).toContain("CUDA out of memory");
  });

  it("streamAsk turns the in-band error into an ApiError after delivering the tokens", async () => {
    standin.setFault({ kind: "dieMidStream", afterChunks: 3 });
    const events: AskEvent[] = [];
    const err = await rejection(
      streamAsk({ case: CASE, options: OPTIONS }, { onEvent: (ev) => events.push(ev), fetchImpl }),
    );
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).body.code).toBe("upstream_error");
    expect(events.map((e) => e.event)).toEqual(["token", "token", "token"]);
  });

  it("streamAsk reports an HTTP error with its status, code and fix", async () => {
    await standin.goDown();
    const err = await rejection(streamAsk({ case: CASE, options: OPTIONS }, { onEvent: () => {}, fetchImpl }));
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(503);
    expect((err as ApiError).body).toMatchObject({
      code: "upstream_unavailable",
      fix: expect.stringContaining("ollama serve"),
    });
  });
});
