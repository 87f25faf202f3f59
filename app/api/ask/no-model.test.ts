import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ErrorEnvelopeSchema } from "@/lib/schemas/ask";
import { HealthResponseSchema } from "@/lib/schemas/service";
import { jsonRequest } from "@/test-support/api";

/**
 * Nothing configured and no network: no Ollama, no MEDGPT_GGUF, nothing pulled, and the registry unreachable.
 * The app must say how to get a model instead of failing obscurely.
 */
let POST: (r: Request) => Promise<Response>;
let HEALTH: (r: Request) => Promise<Response>;

beforeAll(async () => {
  process.env.MEDGPT_BACKEND = "auto";
  process.env.OLLAMA_HOST = "http://127.0.0.1:9";
  delete process.env.MEDGPT_GGUF;
  process.env.MEDGPT_AUTO_PULL = "true";
  process.env.MEDGPT_MODELS_DIR = mkdtempSync(path.join(os.tmpdir(), "medgpt-models-"));
  process.env.MEDGPT_REGISTRY_URL = "http://127.0.0.1:9"; // an offline registry, on this machine
  ({ POST } = await import("./route"));
  ({ GET: HEALTH } = await import("@/app/api/health/route"));
});

const ask = () => POST(jsonRequest("http://x/api/ask", { case: "Q?", options: { A: "a", B: "b" } }));

describe("with no model anywhere", () => {
  it("/api/ask answers 503 naming every way to get a model", async () => {
    const res = await ask();
    expect(res.status).toBe(503);
    const { error } = ErrorEnvelopeSchema.parse(await res.json());
    expect(error.code).toBe("upstream_unavailable");
    expect(error.fix).toMatch(/ollama serve/);
    expect(error.fix).toMatch(/MEDGPT_GGUF/);
    expect(error.fix).toMatch(/npm run model:pull -- mrizwank97\/medgpt/);
  });

  it("/api/health shows the failed download and the same ways out", async () => {
    // The first ask started a background pull from the (offline) registry; wait for it to give up.
    let body = HealthResponseSchema.parse(await (await HEALTH(new Request("http://x/api/health"))).json());
    for (let i = 0; i < 100 && body.pull?.status !== "failed"; i++) {
      await new Promise((r) => setTimeout(r, 100));
      body = HealthResponseSchema.parse(await (await HEALTH(new Request("http://x/api/health"))).json());
    }
    expect(body).toMatchObject({
      status: "unavailable",
      mode: "auto",
      backend: { name: "embedded", reachable: false },
    });
    expect(body.pull).toMatchObject({ status: "failed", model: expect.stringContaining("mrizwank97/medgpt") });
    expect(body.fix).toMatch(/MEDGPT_GGUF/);
    expect(body.backend.detail).toMatch(/download of mrizwank97\/medgpt failed/);
  });
});
