/** Calling the app's route handlers in-process, as Next.js would, and checking the errors they answer. */
import { afterAll, beforeAll, beforeEach, expect, vi } from "vitest";
import { startOllamaStandin, type OllamaStandin } from "./ollama-standin";
import { ErrorEnvelopeSchema } from "@/lib/schemas/ask";

/** A route handler's context: Next.js hands it the dynamic segments as a promise. */
export const ctx = <P>(params: P) => ({ params: Promise.resolve(params) });

/** A JSON POST, as a browser would send it. */
export function jsonRequest(url: string, body: unknown, init: { signal?: AbortSignal } = {}) {
  return new Request(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: init.signal,
  });
}

/** Points the app's Ollama backend at a stand-in, with the fine-tune as the default model. */
export function stubModelServer(url: string) {
  vi.stubEnv("OLLAMA_HOST", url);
  vi.stubEnv("MEDGPT_MODEL", "mrizwank97/medgpt");
}

/** Asserts the standard JSON error answer with this status and code; returns its body. */
export async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  const body = ErrorEnvelopeSchema.parse(await res.json());
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(0);
  return body.error;
}

/**
 * For a route test file: starts an Ollama stand-in before the file's tests, points the app at it, restores it
 * before each test and stops it after the file. Read `.current` inside tests.
 */
export function modelServerStandinPerFile(): { current: OllamaStandin } {
  const holder = {} as { current: OllamaStandin };
  beforeAll(async () => {
    holder.current = await startOllamaStandin();
    stubModelServer(holder.current.url);
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await holder.current.stop();
  });
  beforeEach(() => holder.current.restore());
  return holder;
}
