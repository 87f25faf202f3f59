import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { askStream } from "@/lib/ask/service";
import { loadConfig } from "@/lib/config";
import { isAbortError } from "@/lib/errors";
import { AutoBackend } from "@/lib/inference/auto";
import { OllamaBackend } from "@/lib/inference/ollama";
import { OpenAiCompatibleBackend } from "@/lib/inference/openai";
import type { GenerateEvent, GenerateRequest } from "@/lib/inference/types";
import type { AskEvent } from "@/lib/schemas/ask";
import { collect, rejection } from "@/test-support/async";
import { startOllamaStandin, type OllamaStandin } from "@/test-support/ollama-standin";
import { startOpenAiStandin, type OpenAiStandin } from "@/test-support/openai-standin";

/**
 * MEDGPT_BACKEND=auto against the Ollama stand-in, with a second backend (the OpenAI-compatible one, against
 * its stand-in) in the embedded engine's place so that which one served a request is visible by name.
 */

const REQUEST: GenerateRequest = {
  model: "mrizwank97/medgpt",
  prompt: {
    kind: "raw",
    text: "<start_of_turn>user Q:Which is most likely?? \n{'A': 'Asthma', 'B': 'Sarcoidosis'}, <end_of_turn>\n<start_of_turn>model",
  },
  options: { maxTokens: 64 },
};

let ollama: OllamaStandin;
let openai: OpenAiStandin;
let auto: AutoBackend;

beforeAll(async () => {
  ollama = await startOllamaStandin({ recordingsPath: null });
  openai = await startOpenAiStandin({ recordingsPath: null });
});
afterAll(async () => {
  await ollama.stop();
  await openai.stop();
});
beforeEach(async () => {
  await Promise.all([ollama.restore(), openai.restore()]);
  // A fresh chooser per test: its first request probes.
  auto = new AutoBackend(
    new OllamaBackend({ host: ollama.url, timeoutMs: 5000 }),
    new OpenAiCompatibleBackend({ baseUrl: openai.baseUrl, timeoutMs: 5000 }),
  );
});

const doneOf = (evs: GenerateEvent[]) =>
  evs.find((e): e is Extract<GenerateEvent, { type: "done" }> => e.type === "done");
const generatePaths = (s: { requests: { path: string }[] }) =>
  s.requests.map((r) => r.path).filter((p) => !/version|health|models|tags/.test(p));

describe("AutoBackend", () => {
  it("serves from Ollama when it answers, and says so in the done stats", async () => {
    const evs = await collect(auto.generate(REQUEST, new AbortController().signal));
    expect(doneOf(evs)?.stats.backend).toBe("ollama");
    expect(auto.name).toBe("ollama");
    expect(generatePaths(ollama)).toEqual(["/api/generate"]);
  });

  it("falls back to the other backend when Ollama is down", async () => {
    await ollama.goDown();
    const evs = await collect(auto.generate(REQUEST, new AbortController().signal));
    expect(doneOf(evs)?.stats.backend).toBe("openai");
    expect(auto.name).toBe("openai");
  });

  it("an aborted request does not make Ollama look unreachable (the probe does not use the caller's signal)", async () => {
    const err = await rejection(collect(auto.generate(REQUEST, AbortSignal.abort())));
    expect(isAbortError(err)).toBe(true);
    expect(auto.name).toBe("ollama");

    // The next request, within the probe's lifetime, still goes to Ollama.
    const evs = await collect(auto.generate(REQUEST, new AbortController().signal));
    expect(doneOf(evs)?.stats.backend).toBe("ollama");
    expect(openai.requests.filter((r) => r.path.includes("completions"))).toHaveLength(0);
  });

  it("a probe whose caller aborted does not change the shared choice", async () => {
    await ollama.goDown();
    await collect(auto.generate(REQUEST, AbortSignal.abort())).catch(() => undefined);
    expect(auto.name).toBe("ollama"); // not switched on that request's say-so

    // The next live request probes again and switches.
    const evs = await collect(auto.generate(REQUEST, new AbortController().signal));
    expect(doneOf(evs)?.stats.backend).toBe("openai");
    expect(auto.name).toBe("openai");
  });

  it("the ask service reports the backend that served the request, not the one chosen since", async () => {
    await ollama.goDown();
    openai.setTokenDelay(30);
    const config = loadConfig({});
    const events: AskEvent[] = [];
    let switched = false;
    for await (const ev of askStream(
      {
        case: "A 30-year-old woman has a dry cough. Which is most likely?",
        options: { A: "Asthma", B: "Sarcoidosis" },
        stream: true,
        maxTokens: 16,
      },
      { backend: auto, config },
      new AbortController().signal,
    )) {
      events.push(ev);
      if (ev.event === "token" && !switched) {
        switched = true;
        // Mid-generation, Ollama comes back and another caller's health check switches the shared choice.
        await ollama.comeUp();
        expect((await auto.health()).backend).toBe("ollama");
        expect(auto.name).toBe("ollama");
      }
    }
    expect(switched).toBe(true);
    const done = events.find((e) => e.event === "done");
    expect(done?.data).toMatchObject({ backend: "openai" });
  });
});
