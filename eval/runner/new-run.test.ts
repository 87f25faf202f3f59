import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import { openDb, type Db } from "@/eval/store/connection";
import { AppError } from "@/lib/errors";
import { OpenAiCompatibleBackend } from "@/lib/inference/openai";
import { importIntoDb } from "@/eval/datasets/import";
import { rejection } from "@/test-support/async";
import { startOllamaStandin, type OllamaStandin } from "@/test-support/ollama-standin";
import { startOpenAiStandin, type OpenAiStandin } from "@/test-support/openai-standin";
import { runRequest } from "@/test-support/run-request";
import { judgeEnv } from "./judge";
import { newRun } from "./new-run";

/**
 * The Ollama-judge preflight asks the Ollama the judge will talk to (OLLAMA_HOST), not the inference backend:
 * with MEDGPT_BACKEND=openai the models are served by an OpenAI-compatible server that knows nothing of the judge.
 */

let ollama: OllamaStandin;
let openai: OpenAiStandin;
let backend: OpenAiCompatibleBackend;
let db: Db;
let datasetId: string;

beforeAll(async () => {
  ollama = await startOllamaStandin({ recordingsPath: null });
  openai = await startOpenAiStandin({ recordingsPath: null });
  backend = new OpenAiCompatibleBackend({ baseUrl: openai.baseUrl, timeoutMs: 5000 });
  db = openDb(":memory:");
  const rows = [0, 1].map((i) =>
    JSON.stringify({
      question: `Case ${i}: which is most likely?`,
      options: { A: `a${i}`, B: `b${i}` },
      answer_idx: "B",
    }),
  );
  datasetId = importIntoDb(db, rows.join("\n"), { name: "tiny", filename: "tiny.jsonl" }).dataset.id;
});
afterAll(async () => {
  await ollama.stop();
  await openai.stop();
});
beforeEach(() => ollama.restore());

const config = () =>
  loadConfig({
    MEDGPT_BACKEND: "openai",
    OPENAI_BASE_URL: openai.baseUrl,
    OLLAMA_HOST: ollama.url,
    MEDGPT_JUDGE: "none",
  });
const request = (judge: string) => runRequest(datasetId, { maxTokens: 64, concurrency: 1, judge });

describe("newRun's Ollama-judge preflight", () => {
  it("accepts a judge model that Ollama has and the inference backend lacks", async () => {
    ollama.setModels(["qwen3:8b"]);
    const run = await newRun(db, backend, config(), request("ollama:qwen3:8b"));
    expect(run.id).toMatch(/\S/);
    expect(ollama.requests.map((r) => r.path)).toContain("/api/show");
  });

  it("refuses a judge model that only the inference backend has: 404 model_not_found", async () => {
    ollama.setModels(["qwen3:8b"]);
    const err = await rejection(newRun(db, backend, config(), request("ollama:google/gemma-2-2b-it")));
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: "model_not_found", message: expect.stringMatching(/google\/gemma-2-2b-it/) });
  });

  it("the judge's Ollama down → upstream_unavailable, not a missing model", async () => {
    await ollama.goDown();
    const err = await rejection(newRun(db, backend, config(), request("ollama:qwen3:8b")));
    expect(err).toMatchObject({ code: "upstream_unavailable" });
  });
});

describe("judgeEnv", () => {
  it("takes the Groq key and endpoint and the Ollama host from the config", () => {
    const c = loadConfig({
      GROQ_API_KEY: "gsk_test",
      GROQ_BASE_URL: "http://groq.test",
      OLLAMA_HOST: "http://judge-host:11434",
    });
    expect(judgeEnv(c)).toEqual({
      groqApiKey: "gsk_test",
      groqBaseUrl: "http://groq.test",
      ollamaHost: "http://judge-host:11434",
    });
  });
});
