import { describe, expect, it } from "vitest";
import { ModelsResponseSchema } from "@/lib/schemas/service";
import { expectError, modelServerStandinPerFile } from "@/test-support/api";
import { GET } from "./route";

const server = modelServerStandinPerFile();

const get = () => GET(new Request("http://localhost/api/models"));

describe("GET /api/models", () => {
  it("lists the models pulled into Ollama with their details, and the server's default model", async () => {
    const res = await get();
    expect(res.status).toBe(200);
    const body = ModelsResponseSchema.parse(await res.json());
    expect(body.backend).toBe("ollama");
    expect(body.defaultModel).toBe("mrizwank97/medgpt");
    expect(body.models.map((m) => m.name)).toEqual(["mrizwank97/medgpt:latest", "gemma2:2b"]);
    expect(body.models[1]).toEqual({
      name: "gemma2:2b",
      sizeBytes: 1_629_518_495,
      family: "gemma2",
      parameterSize: "2.6B",
      quantization: "Q4_0",
      label: "Gemma 2 2B (base)",
      description: "The untuned base model, for comparison only; not trained for this task.",
      comparison: true,
    });
    // x:latest is the catalogue's x.
    expect(body.models[0]).toMatchObject({ label: "MedGPT", comparison: false });
  });

  it("describes each model from the catalogue; a model it lacks appears by its name only", async () => {
    server.current.setModels(["llama3.2:1b"]);
    const body = ModelsResponseSchema.parse(await (await get()).json());
    expect(body.models[0]).toMatchObject({ name: "llama3.2:1b", label: null, description: null, comparison: false });
  });

  it("follows what is pulled", async () => {
    server.current.setModels(["llama3.2:1b"]);
    const body = ModelsResponseSchema.parse(await (await get()).json());
    expect(body.models.map((m) => m.name)).toEqual(["llama3.2:1b"]);
    expect(body.defaultModel).toBe("mrizwank97/medgpt");
  });

  it("an empty Ollama is an empty list, not an error", async () => {
    server.current.setModels([]);
    const res = await get();
    expect(res.status).toBe(200);
    expect(ModelsResponseSchema.parse(await res.json()).models).toEqual([]);
  });

  it("Ollama down → 503 upstream_unavailable with how to start it", async () => {
    await server.current.goDown();
    const error = await expectError(await get(), 503, "upstream_unavailable");
    expect(error.message).toContain(server.current.url);
    expect(error.fix).toContain("ollama serve");
  });
});
