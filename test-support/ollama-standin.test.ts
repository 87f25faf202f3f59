import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ollama } from "ollama";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { collect } from "./async";
import { parseCliArgs } from "./ollama-standin-cli";
import {
  DEFAULT_RECORDINGS_PATH,
  madeUpReply,
  parseFault,
  sha256_16,
  splitIntoChunks,
  startOllamaStandin,
  type OllamaStandin,
} from "./ollama-standin";
import { hasShared, sharedPath } from "./shared-data";

type Row = { instruction: string; input: string; output: string };
type Rec = { index: number; input_sha256_16: string; model: string; prompt: string; response: string };

const readJsonl = <T>(file: string): T[] =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as T);

/** Runs fn, returns what it threw (fails the test if it did not throw). */
async function caught(fn: () => Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await fn();
  } catch (e) {
    return e as Error & Record<string, unknown>;
  }
  throw new Error("expected a rejection");
}

const OPTIONS_PROMPT =
  "Q:A 30-year-old woman has a cough. Which is most likely?? \n{'A': 'Asthma', 'B': \"Hodgkin's lymphoma\", 'C': 'Sarcoidosis', 'D': 'GERD', 'E': 'Lupus'},";

let standin: OllamaStandin;
let client: Ollama;

beforeAll(async () => {
  standin = await startOllamaStandin();
  client = new Ollama({ host: standin.url });
});
afterAll(async () => {
  await standin.stop();
});
beforeEach(() => standin.restore());

describe("ollama stand-in: metadata endpoints", () => {
  it("answers version, tags, ps and show like Ollama", async () => {
    expect(standin.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await client.version()).toEqual({ version: "0.12.11" });

    const tags = await client.list();
    expect(tags.models.map((m) => m.name)).toEqual(["mrizwank97/medgpt:latest", "gemma2:2b"]);
    for (const m of tags.models) {
      expect(m.model).toBe(m.name);
      expect(m.digest).toMatch(/^[0-9a-f]{64}$/);
      expect(m.size).toBeGreaterThan(1e9);
      expect(m.details).toMatchObject({ format: "gguf", family: "gemma2", parameter_size: "2.6B" });
      expect(new Date(m.modified_at).getTime()).not.toBeNaN();
    }

    const shown = await client.show({ model: "mrizwank97/medgpt" }); // without :latest
    expect(shown.details.family).toBe("gemma2");
    expect(shown.template).toContain("<start_of_turn>");
    expect(shown.capabilities).toContain("completion");

    expect((await client.ps()).models).toEqual([]);
    await client.generate({ model: "gemma2:2b", prompt: "hello", stream: false });
    expect((await client.ps()).models.map((m) => m.name)).toEqual(["gemma2:2b"]);

    const root = await fetch(standin.url);
    expect(await root.text()).toBe("Ollama is running");
    expect((await fetch(`${standin.url}/api/nope`)).status).toBe(404);
  });

  it("show of an unknown model is a 404 ResponseError echoing the name", async () => {
    const err = await caught(() => client.show({ model: "nope:7b" }));
    expect(err.name).toBe("ResponseError");
    expect(err.status_code).toBe(404);
    expect(err.message).toBe("model 'nope:7b' not found");
  });

  it("setModels changes what is pulled", async () => {
    standin.setModels(["llama3.2:1b"]);
    const tags = await client.list();
    expect(tags.models.map((m) => m.name)).toEqual(["llama3.2:1b"]);
    expect(tags.models[0]?.details.parameter_size).toBe("1B");
    const err = await caught(() => client.generate({ model: "gemma2:2b", prompt: "x", stream: false }));
    expect(err.status_code).toBe(404);
  });
});

describe("ollama stand-in: validation", () => {
  it("unknown model → 404 with the name as sent, before any output", async () => {
    const err = await caught(() => client.generate({ model: "MedGPT-missing", prompt: "x", stream: true }));
    expect(err.name).toBe("ResponseError");
    expect(err.status_code).toBe(404);
    expect(err.message).toBe("model 'MedGPT-missing' not found");
    const chatErr = await caught(() => client.chat({ model: "gemma2", messages: [{ role: "user", content: "x" }] }));
    expect(chatErr.status_code).toBe(404);
    expect(chatErr.message).toBe("model 'gemma2' not found");
  });

  it("missing model → 400; raw with system or template → 400; empty body → 400", async () => {
    const err = await caught(() => client.generate({ model: "", prompt: "x" }));
    expect(err.status_code).toBe(400);
    expect(err.message).toBe("model is required");
    const raw = await caught(() => client.generate({ model: "gemma2:2b", prompt: "x", raw: true, system: "be brief" }));
    expect(raw.status_code).toBe(400);
    expect(raw.message).toBe("raw mode does not support template, system, or context");
    const tpl = await caught(() =>
      client.generate({ model: "gemma2:2b", prompt: "x", raw: true, template: "{{ .Prompt }}" }),
    );
    expect(tpl.status_code).toBe(400);
    const empty = await fetch(`${standin.url}/api/generate`, { method: "POST" });
    expect(empty.status).toBe(400);
    expect(await empty.json()).toEqual({ error: "missing request body" });
  });

  it("an empty prompt answers a single load response, like Ollama", async () => {
    const res = await client.generate({ model: "gemma2:2b", prompt: "", stream: false });
    expect(res).toMatchObject({ model: "gemma2:2b", response: "", done: true, done_reason: "load" });
  });
});

describe("ollama stand-in: made-up replies", () => {
  it("is deterministic, well formed and names option B", async () => {
    const a = await client.generate({ model: "mrizwank97/medgpt", prompt: OPTIONS_PROMPT, stream: false, raw: true });
    const b = await client.generate({ model: "mrizwank97/medgpt", prompt: OPTIONS_PROMPT, stream: false, raw: true });
    expect(a.response).toBe(b.response);
    expect(a.response).toMatch(
      /^<analysis>\n[\s\S]*cough[\s\S]*\n<\/analysis>\n<answer>\nB: Hodgkin's lymphoma\n<\/answer>$/,
    );
    expect(madeUpReply("hello there")).toMatch(/<answer>\nB\n<\/answer>$/);
  });

  it("stream:false returns one JSON object with metrics; non-raw generate carries context, raw does not", async () => {
    const res = await client.generate({ model: "gemma2:2b", prompt: OPTIONS_PROMPT, stream: false });
    expect(res.done).toBe(true);
    expect(res.done_reason).toBe("stop");
    expect(res.eval_count).toBe(splitIntoChunks(res.response ?? "").length);
    expect(Array.isArray(res.context)).toBe(true);
    expect(typeof res.created_at).toBe("string");
    const raw = await client.generate({ model: "gemma2:2b", prompt: OPTIONS_PROMPT, stream: false, raw: true });
    expect(raw.context).toBeUndefined();
  });

  it("streams many chunks with the exact Ollama shapes", async () => {
    const parts = await collect(
      await client.generate({ model: "gemma2:2b", prompt: OPTIONS_PROMPT, stream: true, raw: true }),
    );
    expect(parts.length).toBeGreaterThan(20);
    const first = parts[0] as unknown as Record<string, unknown>;
    expect(Object.keys(first).sort()).toEqual(["created_at", "done", "model", "response"]);
    expect(first.done).toBe(false);
    const last = parts.at(-1)!;
    expect(last).toMatchObject({ done: true, done_reason: "stop", response: "", eval_count: parts.length - 1 });
    for (const k of [
      "total_duration",
      "load_duration",
      "prompt_eval_count",
      "prompt_eval_duration",
      "eval_duration",
    ] as const) {
      expect(last[k]).toBeGreaterThan(0);
    }
    expect(last.total_duration).toBeGreaterThanOrEqual(last.load_duration + last.eval_duration);

    const chat = await collect(
      await client.chat({ model: "gemma2:2b", messages: [{ role: "user", content: OPTIONS_PROMPT }], stream: true }),
    );
    expect(chat[0]?.message).toEqual({ role: "assistant", content: expect.any(String) });
    expect(chat.at(-1)).toMatchObject({ done: true, done_reason: "stop", message: { role: "assistant", content: "" } });
    const res = await fetch(`${standin.url}/api/chat`, {
      method: "POST",
      body: JSON.stringify({ model: "gemma2:2b", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(res.headers.get("content-type")).toBe("application/x-ndjson");
    await res.text();
  });

  it("options.num_predict stops after that many chunks with done_reason length", async () => {
    const parts = await collect(
      await client.generate({ model: "gemma2:2b", prompt: OPTIONS_PROMPT, stream: true, options: { num_predict: 5 } }),
    );
    expect(parts.filter((p) => !p.done)).toHaveLength(5);
    expect(parts.at(-1)).toMatchObject({ done: true, done_reason: "length", eval_count: 5 });
    const chat = await client.chat({
      model: "gemma2:2b",
      messages: [{ role: "user", content: OPTIONS_PROMPT }],
      options: { num_predict: 3 },
    });
    expect(chat).toMatchObject({ done_reason: "length", eval_count: 3 });
    expect(splitIntoChunks(chat.message.content)).toHaveLength(3);
    expect(standin.requests.at(-1)).toMatchObject({
      path: "/api/chat",
      body: { options: { num_predict: 3 }, stream: false },
    });
  });

  it("options.stop cuts the reply before the stop sequence", async () => {
    const res = await client.generate({
      model: "gemma2:2b",
      prompt: OPTIONS_PROMPT,
      stream: false,
      options: { stop: ["</analysis>"] },
    });
    expect(res.response).toMatch(/^<analysis>/);
    expect(res.response).not.toContain("</analysis>");
    expect(res.done_reason).toBe("stop");
  });

  it("logprobs: each chunk carries one entry; the answer letter has A–E alternatives", async () => {
    const parts = await collect(
      await client.generate({
        model: "gemma2:2b",
        prompt: OPTIONS_PROMPT,
        stream: true,
        logprobs: true,
        top_logprobs: 5,
      }),
    );
    const chunks = parts.filter((p) => !p.done);
    expect(chunks.every((p) => p.logprobs?.length === 1 && p.logprobs[0]?.token === p.response)).toBe(true);
    const letter = chunks.find((p) => p.response?.startsWith("B: "));
    expect(letter?.logprobs?.[0]?.top_logprobs?.map((t) => t.token.slice(0, 1))).toEqual(["B", "A", "C", "D", "E"]);
  });

  it("serves many concurrent streams", async () => {
    standin.setTokenDelay(2);
    const runs = Array.from({ length: 25 }, async (_, i) => {
      const c = new Ollama({ host: standin.url });
      const parts = await collect(
        await c.generate({
          model: i % 2 ? "gemma2:2b" : "mrizwank97/medgpt",
          prompt: OPTIONS_PROMPT,
          stream: true,
          options: { num_predict: 15 },
        }),
      );
      return parts.length;
    });
    expect(await Promise.all(runs)).toEqual(Array(25).fill(16));
    expect(standin.stats).toMatchObject({ completed: 25, aborted: 0, active: 0 });
  });
});

describe.skipIf(!hasShared)("ollama stand-in: replay of the recorded replies", () => {
  const rows = hasShared ? readJsonl<Row>(sharedPath("data", "medical-reasoning-test93.jsonl")) : [];
  const recs = hasShared ? readJsonl<Rec>(DEFAULT_RECORDINGS_PATH) : [];
  const recFor = (index: number, medgpt: boolean) =>
    recs.find((r) => r.index === index && r.model.includes("medgpt") === medgpt)!;

  it("the recordings line up with the dataset", () => {
    expect(rows).toHaveLength(93);
    for (const r of recs) expect(sha256_16(rows[r.index]!.input)).toBe(r.input_sha256_16);
  });

  it("streaming raw generate of case 0 ending in <start_of_turn>model replays the reply minus the leading 'model'", async () => {
    const rec = recFor(0, true);
    expect(rec.response.startsWith("model<analysis>")).toBe(true);
    const prompt = `${rec.prompt}model`;
    const parts = await collect(
      await client.generate({ model: "mrizwank97/medgpt:latest", prompt, raw: true, stream: true }),
    );
    const text = parts.map((p) => p.response).join("");
    expect(text).toBe(rec.response.slice("model".length));
    expect(parts.length).toBeGreaterThan(50);
    expect(parts.at(-1)).toMatchObject({ done: true, done_reason: "stop", eval_count: parts.length - 1 });
    expect(parts.at(-1)?.context).toBeUndefined();
    expect(standin.requests.at(-1)).toMatchObject({
      path: "/api/generate",
      body: { raw: true, prompt, stream: true, model: "mrizwank97/medgpt:latest" },
    });
  });

  it("a prompt ending in <start_of_turn> keeps the leading 'model', as recorded", async () => {
    const rec = recFor(7, true);
    const res = await client.generate({ model: "mrizwank97/medgpt", prompt: rec.prompt, raw: true, stream: false });
    expect(res.response).toBe(rec.response);
  });

  it("chat replay for gemma2:2b returns the base model's recording; medgpt chat the fine-tune's", async () => {
    // pick a case whose base reply is long enough to stream visibly
    const index = recs.find((r) => !r.model.includes("medgpt") && r.response.length > 500)!.index;
    const row = rows[index]!;
    const messages = [{ role: "user", content: `${row.instruction}\n\n${row.input}` }];
    const parts = await collect(await client.chat({ model: "gemma2:2b", messages, stream: true }));
    const base = recFor(index, false).response;
    expect(parts.map((p) => p.message.content).join("")).toBe(base.startsWith("model") ? base.slice(5) : base);
    expect(parts.length).toBeGreaterThan(10);

    const ft = await client.chat({ model: "mrizwank97/medgpt", messages });
    expect(ft.message).toEqual({ role: "assistant", content: recFor(index, true).response.slice("model".length) });
    expect(ft.message.content).toMatch(/<answer>\s*[A-E]/);
  });

  it("every one of the 93 cases is recognised by both models", async () => {
    for (const row of rows) {
      const idx = rows.indexOf(row);
      const res = await client.generate({
        model: "mrizwank97/medgpt",
        prompt: `x here are the inputs ${row.input} <end_of_turn>\n<start_of_turn>model`,
        raw: true,
        stream: false,
      });
      expect(res.response).toBe(recFor(idx, true).response.slice(5));
    }
  });
});

describe("ollama stand-in: faults", () => {
  it("connection refused while down surfaces as TypeError fetch failed / ECONNREFUSED, and comes back up", async () => {
    await standin.goDown();
    const err = await caught(() => client.list());
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toBe("fetch failed");
    expect((err.cause as NodeJS.ErrnoException).code).toBe("ECONNREFUSED");
    await standin.comeUp();
    expect((await client.version()).version).toBe("0.12.11");
  });

  it("http500 → ResponseError with status_code 500 before streaming", async () => {
    standin.setFault({ kind: "http500" });
    const err = await caught(() => client.generate({ model: "gemma2:2b", prompt: "x", stream: true }));
    expect(err.name).toBe("ResponseError");
    expect(err.status_code).toBe(500);
    expect(err.message).toMatch(/llama runner/);
    // metadata endpoints are unaffected
    expect((await client.list()).models).toHaveLength(2);
  });

  it("status fault, e.g. 503 server busy; times limits it to the next N requests", async () => {
    standin.setFault(
      { kind: "status", status: 503, error: "server busy, please try again.  maximum pending requests exceeded" },
      { times: 1 },
    );
    const err = await caught(() => client.chat({ model: "gemma2:2b", messages: [{ role: "user", content: "x" }] }));
    expect(err.status_code).toBe(503);
    expect(err.message).toMatch(/server busy/);
    const ok = await client.chat({ model: "gemma2:2b", messages: [{ role: "user", content: "x" }] });
    expect(ok.done).toBe(true);
  });

  it("dieMidStream → the client's iteration throws after the chunks that arrived", async () => {
    standin.setFault({ kind: "dieMidStream", afterChunks: 3 });
    const it = await client.generate({ model: "gemma2:2b", prompt: OPTIONS_PROMPT, stream: true });
    const seen: string[] = [];
    const err = await caught(async () => {
      for await (const p of it) seen.push(p.response ?? "");
    });
    expect(seen).toHaveLength(3);
    expect(err).toBeInstanceOf(Error);
    expect(standin.stats).toMatchObject({ aborted: 0, completed: 0, active: 0 });
    // stream:false: the connection dies without a response
    const nonStream = await caught(() =>
      client.generate({ model: "gemma2:2b", prompt: OPTIONS_PROMPT, stream: false }),
    );
    expect(nonStream).toBeInstanceOf(TypeError);
  });

  it("errorLineMidStream → a plain Error with the message, HTTP status 200", async () => {
    standin.setFault({
      kind: "errorLineMidStream",
      afterChunks: 2,
      error: "an error was encountered while running the model: CUDA out of memory",
    });
    const res = await fetch(`${standin.url}/api/generate`, {
      method: "POST",
      body: JSON.stringify({ model: "gemma2:2b", prompt: "x" }),
    });
    expect(res.status).toBe(200);
    const lines = (await res.text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(3);
    expect(lines[2]).toEqual({ error: "an error was encountered while running the model: CUDA out of memory" });

    const it = await client.chat({ model: "gemma2:2b", messages: [{ role: "user", content: "x" }], stream: true });
    const err = await caught(() => collect(it));
    expect(err.constructor).toBe(Error);
    expect(err.message).toBe("an error was encountered while running the model: CUDA out of memory");
  });

  it("hangBeforeHeaders never answers; the client's timeout shows up as an abort", async () => {
    standin.setFault({ kind: "hangBeforeHeaders" });
    const timed = new Ollama({
      host: standin.url,
      fetch: (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(300) }),
    });
    const err = await caught(() => timed.generate({ model: "gemma2:2b", prompt: "x", stream: true }));
    expect(err.name).toBe("TimeoutError");
    await standin.waitForAbort(2000);
    expect(standin.stats).toMatchObject({ aborted: 1, active: 0 });
  });
});

describe("ollama stand-in: client aborts", () => {
  it("iterator.abort() mid-stream → AbortError on the client, the stand-in sees the disconnect", async () => {
    standin.setTokenDelay(20);
    const it = await client.generate({ model: "mrizwank97/medgpt", prompt: OPTIONS_PROMPT, stream: true });
    let n = 0;
    const err = await caught(async () => {
      for await (const _ of it) {
        if (++n === 3) it.abort();
      }
    });
    expect(err.name).toBe("AbortError");
    await standin.waitForAbort(2000);
    expect(standin.stats).toMatchObject({ aborted: 1, completed: 0, active: 0 });
    await expect(standin.waitForAbort(100)).rejects.toThrow(/no client abort/);
  });

  it("waitForAbort also resolves when called before the abort happens", async () => {
    standin.setTokenDelay(20);
    const c = new Ollama({ host: standin.url });
    const it = await c.chat({
      model: "gemma2:2b",
      messages: [{ role: "user", content: OPTIONS_PROMPT }],
      stream: true,
    });
    const waiting = standin.waitForAbort(2000);
    setTimeout(() => c.abort(), 50);
    await expect(collect(it)).rejects.toMatchObject({ name: "AbortError" });
    await waiting;
  });
});

describe("ollama stand-in: control endpoint and CLI", () => {
  it("POST /__control switches faults/delay/models; GET /__control/stats", async () => {
    const post = (body: unknown) => fetch(`${standin.url}/__control`, { method: "POST", body: JSON.stringify(body) });
    const r = await post({
      fault: { kind: "status", status: 503, error: "server busy" },
      tokenDelayMs: 1,
      models: ["gemma2:2b"],
    });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({
      fault: { kind: "status", status: 503 },
      tokenDelayMs: 1,
      models: ["gemma2:2b"],
    });
    expect((await caught(() => client.generate({ model: "gemma2:2b", prompt: "x" }))).status_code).toBe(503);
    expect((await post({ fault: { kind: "none" } })).status).toBe(200);
    await client.generate({ model: "gemma2:2b", prompt: "x" });
    const stats = (await (await fetch(`${standin.url}/__control/stats`)).json()) as unknown;
    expect(stats).toEqual({ aborted: 0, completed: 1, active: 0 });
    const bad = await post({ fault: { kind: "explode" } });
    expect(bad.status).toBe(400);
    expect(standin.requests.every((q) => !q.path.startsWith("/__control"))).toBe(true);
  });

  it("parseFault and parseCliArgs validate input", () => {
    expect(parseFault("http500")).toEqual({ kind: "http500" });
    expect(() => parseFault({ kind: "dieMidStream" })).toThrow(/afterChunks/);
    expect(
      parseCliArgs([
        "--port",
        "11434",
        "--token-delay=20",
        "--models",
        "a,b:1b",
        "--recordings",
        "none",
        "--fault",
        '{"kind":"hangBeforeHeaders"}',
      ]),
    ).toEqual({
      options: { port: 11434, tokenDelayMs: 20, models: ["a", "b:1b"], recordingsPath: null },
      fault: { kind: "hangBeforeHeaders" },
    });
    expect(() => parseCliArgs(["--bogus"])).toThrow(/unknown argument/);
  });

  it("the CLI runs as a process and serves the API", async () => {
    const cli = fileURLToPath(new URL("./ollama-standin-cli.ts", import.meta.url));
    const tsx = fileURLToPath(new URL("../node_modules/.bin/tsx", import.meta.url));
    const child = spawn(tsx, [cli, "--port", "0", "--token-delay", "1"], { stdio: ["ignore", "pipe", "pipe"] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        let errOut = "";
        const timer = setTimeout(() => reject(new Error(`CLI did not start: ${out}${errOut}`)), 15000);
        child.stdout.on("data", (b: Buffer) => {
          out += b.toString();
          const m = /listening on (http:\/\/\S+)/.exec(out);
          if (m?.[1]) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        });
        child.stderr.on("data", (b: Buffer) => (errOut += b.toString()));
        child.on("exit", (code) => reject(new Error(`CLI exited ${code}: ${out}${errOut}`)));
      });
      const c = new Ollama({ host: url });
      expect((await c.list()).models.length).toBe(2);
      const res = await c.generate({ model: "gemma2:2b", prompt: OPTIONS_PROMPT, options: { num_predict: 4 } });
      expect(res.eval_count).toBe(4);
      const ctl = await fetch(`${url}/__control`, { method: "POST", body: JSON.stringify({ fault: "http500" }) });
      expect(ctl.status).toBe(200);
      expect((await caught(() => c.generate({ model: "gemma2:2b", prompt: "x" }))).status_code).toBe(500);
    } finally {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    }
  });
});
