import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { askStream } from "@/lib/ask/service";
import { loadConfig } from "@/lib/config";
import { AppError, isAbortError } from "@/lib/errors";
import { AskRequestSchema } from "@/lib/schemas/ask";
import { hasShared, sharedPath } from "@/test-support/shared-data";
import { disposeEmbeddedEngines, EmbeddedBackend, type EmbeddedBackendOptions } from "./embedded";
import type { GenerateEvent, GenerateRequest } from "./types";

/**
 * The embedded engine's mechanics on a real llama.cpp model: the 1.7 MB random-weight llama from ../shared.
 * Its text is gibberish; what is tested is loading, streaming, stopping, queueing and errors.
 * threads: 1 keeps it fast on a small, busy CI machine (more threads than free cores spin and crawl).
 */

const MODEL = "tiny";
const tinyPath = sharedPath("models", "llama-2-tiny-random.gguf");
const make = (o: Partial<EmbeddedBackendOptions> = {}) =>
  new EmbeddedBackend({ modelPath: tinyPath, modelName: MODEL, gpu: false, threads: 1, contextSize: 512, ...o });
const req = (maxTokens: number, text = "The patient presents with"): GenerateRequest => ({
  model: MODEL,
  prompt: { kind: "raw", text },
  options: { maxTokens, temperature: 0 },
});

async function collect(gen: AsyncGenerator<GenerateEvent>) {
  const texts: string[] = [];
  for await (const ev of gen) {
    if (ev.type === "done") return { texts, stats: ev.stats };
    texts.push(ev.text);
  }
  throw new Error("no done event");
}

afterAll(() => disposeEmbeddedEngines());

describe.skipIf(!hasShared)("EmbeddedBackend on the tiny GGUF", () => {
  it("streams several text chunks, then one done with stats", async () => {
    const { texts, stats } = await collect(make().generate(req(30), new AbortController().signal));
    expect(texts.length).toBeGreaterThan(3);
    expect(texts.join("").length).toBeGreaterThan(10);
    expect(stats.evalCount).toBeGreaterThan(0);
    expect(stats.promptEvalCount).toBeGreaterThan(1);
    expect(stats.evalMs).toBeGreaterThan(0);
  });

  it("honours maxTokens: evalCount ≤ maxTokens and doneReason length", async () => {
    const { stats } = await collect(make().generate(req(7), new AbortController().signal));
    expect(stats.evalCount).toBeLessThanOrEqual(7);
    expect(stats.evalCount).toBeGreaterThan(0);
    expect(stats.doneReason).toBe("length");
  });

  it("stops on a stop trigger with doneReason stop, excluding the trigger", async () => {
    const backend = make();
    const full = (await collect(backend.generate(req(30), new AbortController().signal))).texts.join("");
    const word = full.split(" ").filter((w) => /^[a-z]{4,}$/.test(w))[1];
    expect(word).toBeDefined();
    const stopped = await collect(make({ stopTriggers: [word!] }).generate(req(30), new AbortController().signal));
    expect(stopped.stats.doneReason).toBe("stop");
    // The trigger's token carries its leading space (SentencePiece), so that space goes too.
    expect(stopped.texts.join("").trimEnd()).toBe(full.slice(0, full.indexOf(word!)).trimEnd());
    expect(stopped.stats.evalCount).toBeLessThan(30);
  });

  it("abort mid-generation stops it early; the backend is usable afterwards", async () => {
    const backend = make();
    const controller = new AbortController();
    let chunks = 0;
    const outcome = await (async () => {
      for await (const ev of backend.generate(req(400), controller.signal)) {
        if (ev.type === "text" && ++chunks === 3) controller.abort();
      }
    })().then(
      () => "completed",
      (err: unknown) => (isAbortError(err) ? "aborted" : err),
    );
    expect(outcome).toBe("aborted");
    expect(chunks).toBe(3);
    await vi.waitFor(() => expect(backend.stats().active).toBe(0));
    const again = await collect(backend.generate(req(5), new AbortController().signal));
    expect(again.stats.evalCount).toBe(5);
  });

  it("runs 4 concurrent requests with 2 sequences: all finish, never more than 2 at once", async () => {
    const backend = make({ contextSize: 768 }); // its own context, so the peak is this test's
    const results = await Promise.all(
      [0, 1, 2, 3].map((i) => collect(backend.generate(req(60, `Case ${i}: a cough`), new AbortController().signal))),
    );
    for (const r of results) expect(r.stats.doneReason).toBe("length");
    const stats = backend.stats();
    expect(stats.peakActive).toBe(2);
    expect(stats).toMatchObject({ limit: 2, active: 0, queued: 0, started: 4 });
  });

  it("an aborted queued request leaves the queue and never starts", async () => {
    const backend = make({ sequences: 1 });
    const runningCtl = new AbortController();
    const running = backend.generate(req(400), runningCtl.signal);
    await running.next(); // holds the only sequence
    const startedBefore = backend.stats().started;

    const queuedCtl = new AbortController();
    const queued = backend.generate(req(5), queuedCtl.signal).next();
    await vi.waitFor(() => expect(backend.stats().queued).toBe(1));
    queuedCtl.abort();
    await expect(queued).rejects.toSatisfy(isAbortError);
    expect(backend.stats()).toMatchObject({ queued: 0, abandoned: 1, started: startedBefore, active: 1 });

    runningCtl.abort();
    await expect(running.next()).rejects.toSatisfy(isAbortError);
    const after = await collect(backend.generate(req(5), new AbortController().signal));
    expect(after.stats.evalCount).toBe(5);
    expect(backend.stats().started).toBe(startedBefore + 1);
  });

  it("beyond the queue limit a request is refused as busy (503), not queued", async () => {
    const backend = make({ sequences: 1, queueLimit: 0, contextSize: 640 });
    const ctl = new AbortController();
    const running = backend.generate(req(400), ctl.signal);
    await running.next();
    const err = await collect(backend.generate(req(5), new AbortController().signal)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "upstream_unavailable", status: 503 });
    expect((err as AppError).message).toMatch(/busy/);
    ctl.abort();
    await running.next().catch(() => undefined);
  });

  it("refuses a model name it does not serve; answers to name and name:latest", async () => {
    const backend = make();
    await expect(backend.hasModel("tiny:latest")).resolves.toBe(true);
    await expect(backend.hasModel("other")).resolves.toBe(false);
    const err = await collect(backend.generate({ ...req(5), model: "other" }, new AbortController().signal)).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("model_not_found");
    const [info] = await backend.listModels();
    expect(info).toMatchObject({ name: MODEL, sizeBytes: 1_750_560, family: "llama", quantization: "F16" });
    expect((await backend.health()).reachable).toBe(true);
  });

  it("parses control tokens in raw prompts, as Ollama's raw mode does (<start_of_turn> must be one token)", async () => {
    // On this llama vocab "</s>" is a control token: parsed, it is 1 token (plus BOS); as text it would be 4.
    const { stats } = await collect(make().generate(req(2, "</s>"), new AbortController().signal));
    expect(stats.promptEvalCount).toBe(2);
  });

  it("renders chat prompts with Gemma's turn template and generates", async () => {
    const { stats } = await collect(
      make().generate(
        {
          model: MODEL,
          prompt: { kind: "chat", messages: [{ role: "user", content: "Hi" }] },
          options: { maxTokens: 4, temperature: 0 },
        },
        new AbortController().signal,
      ),
    );
    // <s> + "<start_of_turn>user\nHi<end_of_turn>\n<start_of_turn>model\n" tokenized as text on this llama vocab.
    expect(stats.promptEvalCount).toBeGreaterThan(5);
    expect(stats.evalCount).toBe(4);
  });

  it("end to end: askStream streams tokens, then answer, then done", async () => {
    const config = loadConfig({});
    const backend = make({ modelName: config.defaultModel });
    const body = AskRequestSchema.parse({
      case: "A 30-year-old woman has a dry cough and bilateral hilar lymphadenopathy. Which is most likely?",
      options: { A: "Asthma", B: "Sarcoidosis", C: "Tuberculosis" },
      maxTokens: 24,
      temperature: 0,
    });
    const events = [];
    for await (const ev of askStream(body, { backend, config }, new AbortController().signal)) events.push(ev);
    const kinds = events.map((e) => e.event);
    expect(kinds.filter((k) => k === "token").length).toBeGreaterThan(3);
    expect(kinds.slice(-2)).toEqual(["answer", "done"]);
    const done = events.at(-1);
    expect(done?.event === "done" && done.data).toMatchObject({ backend: "embedded", model: config.defaultModel });
    expect(done?.event === "done" && done.data.timings.evalCount).toBe(24);
  });
});

describe.skipIf(!hasShared)("EmbeddedBackend with a missing or broken model file", () => {
  let dir: string;
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("missing file → model_not_found naming MEDGPT_GGUF; health unreachable", async () => {
    const backend = make({ modelPath: "/nonexistent/medgpt.gguf" });
    const err = await collect(backend.generate(req(5), new AbortController().signal)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("model_not_found");
    expect(`${(err as AppError).message} ${(err as AppError).fix}`).toMatch(/MEDGPT_GGUF/);
    expect(await backend.health()).toMatchObject({ reachable: false });
    await expect(backend.listModels()).resolves.toEqual([]);
  });

  it("a text file or a truncated GGUF → clear AppError, no crash; fixing the file makes the next request work", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "medgpt-embedded-"));
    const file = path.join(dir, "model.gguf");
    const backend = make({ modelPath: file });

    await writeFile(file, "this is not a model\n");
    const textErr = await collect(backend.generate(req(5), new AbortController().signal)).catch((e: unknown) => e);
    expect(textErr).toBeInstanceOf(AppError);
    expect((textErr as AppError).message).toMatch(/could not be loaded.*GGUF magic/);
    expect((textErr as AppError).fix).toMatch(/not a valid GGUF/);

    // Right magic, cut short: llama.cpp itself refuses it.
    const { readFile } = await import("node:fs/promises");
    await writeFile(file, (await readFile(tinyPath)).subarray(0, 4000));
    const cutErr = await collect(backend.generate(req(5), new AbortController().signal)).catch((e: unknown) => e);
    expect(cutErr).toBeInstanceOf(AppError);
    expect((cutErr as AppError).code).toBe("upstream_error");
    expect((cutErr as AppError).message).toMatch(/could not be loaded/);
    expect((await backend.health()).reachable).toBe(false);

    await copyFile(tinyPath, file);
    const ok = await collect(backend.generate(req(5), new AbortController().signal));
    expect(ok.stats.evalCount).toBe(5);
    expect((await backend.health()).reachable).toBe(true);
  });
});
