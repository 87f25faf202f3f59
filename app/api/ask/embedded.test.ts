import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasShared, sharedPath } from "@/test-support/shared-data";
import { AskEventSchemas } from "@/lib/schemas/ask";
import { jsonRequest } from "@/test-support/api";
import { collectSse } from "@/test-support/sse";

/**
 * MEDGPT_BACKEND=auto with Ollama unreachable and MEDGPT_GGUF set: /api/ask is served by the embedded
 * llama.cpp engine running the tiny random-weight GGUF (real inference, gibberish text).
 */
let POST: (r: Request) => Promise<Response>;
let HEALTH: (r: Request) => Promise<Response>;

beforeAll(async () => {
  process.env.MEDGPT_BACKEND = "auto";
  process.env.OLLAMA_HOST = "http://127.0.0.1:9"; // discard port: nothing listens
  process.env.MEDGPT_GGUF = sharedPath("models", "llama-2-tiny-random.gguf");
  process.env.MEDGPT_EMBEDDED_THREADS = "1";
  process.env.MEDGPT_EMBEDDED_GPU = "false";
  ({ POST } = await import("./route"));
  ({ GET: HEALTH } = await import("@/app/api/health/route"));
});
afterAll(async () => {
  const { disposeEmbeddedEngines } = await import("@/lib/inference/embedded");
  await disposeEmbeddedEngines();
});

const ask = (body: Record<string, unknown>, signal?: AbortSignal) =>
  POST(jsonRequest("http://x/api/ask", { case: "Which drug?", options: { A: "x", B: "y" }, ...body }, { signal }));

const events = async (res: Response) =>
  (await collectSse(res)).map((f) => ({
    event: f.event,
    data: AskEventSchemas[f.event as keyof typeof AskEventSchemas].parse(JSON.parse(f.data)) as Record<string, unknown>,
  }));

describe.skipIf(!hasShared)("auto mode without Ollama falls back to the embedded engine", () => {
  it("health reports the embedded backend, in auto mode, ready", async () => {
    const res = await HEALTH(new Request("http://x/api/health"));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: "ok",
      mode: "auto",
      backend: { name: "embedded", reachable: true },
    });
  });

  it("streams tokens, then an answer and done naming the embedded backend, within maxTokens", async () => {
    const res = await ask({ maxTokens: 24, seed: 1, temperature: 0 });
    expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
    const evs = await events(res);
    const tokens = evs.filter((e) => e.event === "token");
    expect(tokens.length).toBeGreaterThan(3);
    expect(evs.map((e) => e.event).slice(-2)).toEqual(["answer", "done"]);
    const done = evs.at(-1)!.data as { backend: string; timings: { evalCount: number } };
    expect(done.backend).toBe("embedded");
    expect(done.timings.evalCount).toBeLessThanOrEqual(24);
  });

  it("concurrent asks all finish", async () => {
    const all = await Promise.all([1, 2, 3, 4].map((seed) => ask({ maxTokens: 8, seed, stream: false })));
    for (const res of all) {
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ backend: "embedded" });
    }
  });

  it("a client abort stops the generation and the engine keeps serving", async () => {
    const controller = new AbortController();
    const res = await ask({ maxTokens: 2000 }, controller.signal);
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    await reader.cancel().catch(() => {});
    const after = await ask({ maxTokens: 4, stream: false });
    expect(after.status).toBe(200);
  });
});
