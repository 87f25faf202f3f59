import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { isAbortError } from "@/lib/errors";
import { JudgeError } from "@/eval/types";
import { recordingSleep, rejection } from "@/test-support/async";
import { defaultJudgeMessages, judgeInput } from "@/test-support/judge-fixtures";
import { startOllamaStandin, type OllamaStandin } from "@/test-support/ollama-standin";
import { createOllamaJudge, type OllamaJudgeOptions } from "./judge-ollama";

const INPUT = judgeInput();

/**
 * The Ollama stand-in replays recorded medical answers and cannot be told what to reply, so the judge's own replies
 * come from this tiny /api/chat server. Each request takes the next scripted reply.
 */
type Scripted = { content: string; doneReason?: "stop" | "length" } | { status: number; error: string } | "hang";

let tiny: { url: string; queue: Scripted[]; bodies: unknown[]; close(): Promise<void> };
let standin: OllamaStandin;

beforeAll(async () => {
  const queue: Scripted[] = [];
  const bodies: unknown[] = [];
  const server = http.createServer((req, res) => {
    let text = "";
    req.on("data", (b: Buffer) => (text += b.toString("utf8")));
    req.on("end", () => {
      bodies.push(JSON.parse(text));
      const next = queue.shift() ?? { status: 500, error: "test server: nothing scripted" };
      if (next === "hang") return;
      const [status, body] =
        "error" in next
          ? [next.status, { error: next.error }]
          : [
              200,
              {
                model: "judge:7b",
                created_at: new Date().toISOString(),
                message: { role: "assistant", content: next.content },
                done: true,
                done_reason: next.doneReason ?? "stop",
                total_duration: 1_000_000,
                eval_count: 20,
              },
            ];
      res.writeHead(status, { "Content-Type": "application/json; charset=utf-8" });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const sockets = new Set<import("node:net").Socket>();
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  tiny = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    queue,
    bodies,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  standin = await startOllamaStandin({ models: ["judge:7b"] });
});
afterAll(async () => {
  await tiny.close();
  await standin.stop();
});
beforeEach(async () => {
  tiny.queue.length = 0;
  tiny.bodies.length = 0;
  await standin.restore();
});

function judgeAt(host: string, over: Partial<OllamaJudgeOptions> = {}) {
  const { delays, sleep } = recordingSleep();
  const judge = createOllamaJudge({
    host,
    model: "judge:7b",
    ...over,
    backoff: { sleep, random: () => 0.5, baseMs: 100, ...over.backoff },
  });
  return { judge, delays };
}

const run = (judge: ReturnType<typeof createOllamaJudge>, signal = new AbortController().signal) =>
  judge.judge(INPUT, signal);

describe("Ollama judge", () => {
  it("scores a verdict and asks for JSON output at temperature 0, non-streaming", async () => {
    tiny.queue.push({ content: '{"score": 5, "explanation": "Correct."}' });
    const { judge } = judgeAt(`${tiny.url}/`);
    expect(await run(judge)).toEqual({
      status: "scored",
      score: 5,
      explanation: "Correct.",
      raw: '{"score": 5, "explanation": "Correct."}',
      attempts: 1,
    });
    expect(tiny.bodies[0]).toMatchObject({
      model: "judge:7b",
      stream: false,
      format: "json",
      options: { temperature: 0, num_predict: 1024 },
      messages: defaultJudgeMessages(),
    });
    expect(judge.id).toBe("ollama:judge:7b");
    expect(judge.spec).toMatchObject({
      provider: "ollama",
      model: "judge:7b",
      params: { temperature: 0, responseFormat: "json_object" },
    });
  });

  it("uses the same parse path: thinking stripped, unreadable kept unparseable", async () => {
    tiny.queue.push(
      { content: '<think>hmm</think>{"score": "2", "explanation": "Wrong option."}' },
      { content: '{"score": 2.5}' },
      { content: '{"score": 4, "expl', doneReason: "length" },
    );
    const { judge } = judgeAt(tiny.url);
    expect(await run(judge)).toMatchObject({ status: "scored", score: 2 });
    expect(await run(judge)).toEqual({
      status: "unparseable",
      raw: '{"score": 2.5}',
      attempts: 1,
      error: "score 2.5 is not an integer",
    });
    expect(await run(judge)).toMatchObject({
      status: "unparseable",
      error: expect.stringContaining("cut off at max tokens"),
    });
  });

  it("retries 503 (queue full) and 500 with backoff, then scores", async () => {
    tiny.queue.push(
      { status: 503, error: "server busy, please try again.  maximum pending requests exceeded" },
      { status: 500, error: "llama runner process has terminated" },
      { content: '{"score": 3}' },
    );
    const { judge, delays } = judgeAt(tiny.url);
    expect(await run(judge)).toMatchObject({ status: "scored", score: 3, attempts: 3 });
    expect(delays).toEqual([50, 100]);
  });

  it("a missing model is a JudgeError at once", async () => {
    tiny.queue.push({ status: 404, error: "model 'judge:7b' not found" });
    const err = await rejection(run(judgeAt(tiny.url).judge));
    expect(err).toBeInstanceOf(JudgeError);
    expect(err.message).toBe("Ollama 404: model 'judge:7b' not found");
    expect(tiny.bodies).toHaveLength(1);
  });

  it("retries its own timeout, then gives up", async () => {
    tiny.queue.push("hang", "hang");
    const err = await rejection(run(judgeAt(tiny.url, { timeoutMs: 100, backoff: { maxAttempts: 2 } }).judge));
    expect(err).toBeInstanceOf(JudgeError);
    expect(err.message).toMatch(/gave up after 2 attempts: Ollama judge did not answer within 100 ms/);
  });

  it("retries refused connections, then gives up", async () => {
    // A port that was just free: nothing listens there (fetch refuses "bad" ports like 9 before connecting).
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const { judge, delays } = judgeAt(`http://127.0.0.1:${port}`, { backoff: { maxAttempts: 2 } });
    const err = await rejection(run(judge));
    expect(err).toBeInstanceOf(JudgeError);
    expect(err.message).toMatch(/gave up after 2 attempts: Ollama connection failed: ECONNREFUSED/);
    expect(delays).toHaveLength(1);
  });

  it("does not retry a URL fetch refuses outright", async () => {
    const { judge, delays } = judgeAt("http://127.0.0.1:9");
    const err = await rejection(run(judge));
    expect(err).toBeInstanceOf(JudgeError);
    expect(err.message).toBe("Ollama connection failed: bad port");
    expect(delays).toEqual([]);
  });

  describe("against the project's Ollama stand-in", () => {
    it("rides out its 503 fault; its recorded-style reply is no verdict, so it is kept unparseable", async () => {
      standin.setFault({ kind: "status", status: 503, error: "server busy" }, { times: 1 });
      const { judge, delays } = judgeAt(standin.url);
      const verdict = await run(judge);
      expect(verdict).toMatchObject({ status: "unparseable", attempts: 2, raw: expect.stringContaining("<analysis>") });
      expect(verdict).not.toHaveProperty("score");
      expect(delays).toHaveLength(1);
      expect(standin.requests.filter((r) => r.path === "/api/chat")).toHaveLength(2);
    });

    it("aborts a hung call promptly, and Ollama sees the disconnect", async () => {
      standin.setFault({ kind: "hangBeforeHeaders" });
      const controller = new AbortController();
      const p = run(judgeAt(standin.url).judge, controller.signal);
      await expect.poll(() => standin.stats.active).toBe(1);
      controller.abort();
      expect(isAbortError(await rejection(p))).toBe(true);
      await standin.waitForAbort();
    });
  });
});
