import { describe, expect, it } from "vitest";
import { HealthResponseSchema } from "@/lib/schemas/service";
import { modelServerStandinPerFile } from "@/test-support/api";
import { STANDIN_VERSION } from "@/test-support/ollama-standin";
import { GET } from "./route";

const server = modelServerStandinPerFile();

async function health() {
  const res = await GET(new Request("http://localhost/api/health"));
  expect(res.headers.get("cache-control")).toBe("no-store");
  return { status: res.status, body: HealthResponseSchema.parse(await res.json()) };
}

describe("GET /api/health", () => {
  it("ok: Ollama reachable and the default model pulled (with or without :latest)", async () => {
    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body).toEqual({
      status: "ok",
      backend: { name: "ollama", reachable: true, version: STANDIN_VERSION, detail: null },
      defaultModel: { name: "mrizwank97/medgpt", present: true },
      mode: "ollama",
      pull: null,
      fix: null,
    });
  });

  it("degraded: reachable but the default model is not pulled → 200 with the exact pull command", async () => {
    server.current.setModels(["gemma2:2b"]);
    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body.status).toBe("degraded");
    expect(body.backend.reachable).toBe(true);
    expect(body.defaultModel).toEqual({ name: "mrizwank97/medgpt", present: false });
    expect(body.fix).toContain("ollama pull mrizwank97/medgpt");
  });

  it("unavailable: Ollama down → 503, says where it looked and how to start it", async () => {
    await server.current.goDown();
    const { status, body } = await health();
    expect(status).toBe(503);
    expect(body.status).toBe("unavailable");
    expect(body.backend).toMatchObject({ name: "ollama", reachable: false, version: null });
    expect(body.backend.detail).toContain(server.current.url);
    expect(body.defaultModel).toEqual({ name: "mrizwank97/medgpt", present: null });
    expect(body.fix).toContain("ollama serve");
  });

  it("recovers once Ollama is back", async () => {
    await server.current.goDown();
    expect((await health()).status).toBe(503);
    await server.current.comeUp();
    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body.status).toBe("ok");
  });
});
