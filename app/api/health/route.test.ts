import { describe, expect, it, vi } from "vitest";
import { HealthResponseSchema } from "@/lib/schemas/service";
import { modelServerStandinPerFile } from "@/test-support/api";
import { STANDIN_VERSION } from "@/test-support/ollama-standin";
import { hideLocations } from "@/lib/http/hide-locations";
import { GET } from "./route";

const ADMIN_TOKEN = "health-test-admin-token-0123456789";
vi.stubEnv("ADMIN_TOKEN", ADMIN_TOKEN);
const server = modelServerStandinPerFile();

/** As the admin (who sees where things are), or anonymously. */
async function health(as: "admin" | "anonymous" = "admin") {
  const headers: HeadersInit = as === "admin" ? { authorization: `Bearer ${ADMIN_TOKEN}` } : {};
  const res = await GET(new Request("http://localhost/api/health", { headers }));
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

  it("anonymous callers learn the status and the backend's name, never the model server's URL", async () => {
    await server.current.goDown();
    const { status, body } = await health("anonymous");
    expect(status).toBe(503);
    expect(body.backend).toMatchObject({ name: "ollama", reachable: false });
    expect(body.backend.detail).toMatch(/Cannot reach Ollama at \(address hidden\)/);
    expect(JSON.stringify(body)).not.toContain(server.current.url);
    expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|localhost/);
    expect(body.fix).toContain("ollama serve"); // what to do stays; where things are does not
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

describe("hideLocations", () => {
  it.each([
    [
      "Cannot reach Ollama at http://10.0.0.7:11434 (ECONNREFUSED).",
      "Cannot reach Ollama at (address hidden) (ECONNREFUSED).",
    ],
    ["/srv/models/medgpt.gguf loaded on CPU in 812 ms", "(path hidden) loaded on CPU in 812 ms"],
    ["The model file C:\\models\\m.gguf is not a GGUF", "The model file (path hidden) is not a GGUF"],
    ["registry 192.168.1.4:5000 refused", "registry (address hidden) refused"],
    ["download of mrizwank97/medgpt failed", "download of mrizwank97/medgpt failed"],
  ])("%j → %j", (input, output) => expect(hideLocations(input)).toBe(output));
});
