import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { GET } from "@/app/api/openapi.json/route";
import { ERROR_TABLE, type ErrorCode } from "@/lib/errors";
import { openApiDocument } from "./document";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

// A JSON round trip: what an integrator downloads from /api/openapi.json.
const doc = JSON.parse(JSON.stringify(openApiDocument())) as Obj;
const schemas = (doc.components as Obj).schemas as Record<string, Obj>;

/** Every value under key `key` anywhere in `node`, with where it was found. */
function collect(node: Json, key: string, at = "#"): { at: string; value: Json }[] {
  if (Array.isArray(node)) return node.flatMap((n, i) => collect(n, key, `${at}/${i}`));
  if (node === null || typeof node !== "object") return [];
  return Object.entries(node).flatMap(([k, v]) => [
    ...(k === key ? [{ at, value: v }] : []),
    ...collect(v, key, `${at}/${k.replaceAll("~", "~0").replaceAll("/", "~1")}`),
  ]);
}

/** Resolves a local JSON pointer such as #/components/schemas/AskRequest. */
function resolve(ref: string): Json | undefined {
  if (!ref.startsWith("#/")) return undefined;
  let node: Json | undefined = doc;
  for (const raw of ref.slice(2).split("/")) {
    const part = decodeURIComponent(raw).replaceAll("~1", "/").replaceAll("~0", "~");
    if (node === null || typeof node !== "object" || Array.isArray(node) || !(part in node)) return undefined;
    node = node[part];
  }
  return node;
}

const askPost = () => ((doc.paths as Obj)["/api/ask"] as Obj).post as Obj;
const askRequestSchema = () => {
  const ref = (((askPost().requestBody as Obj).content as Obj)["application/json"] as Obj).schema as Obj;
  expect(ref.$ref).toEqual(expect.any(String));
  return resolve(ref.$ref as string) as Obj;
};

describe("OpenAPI document", () => {
  it("is OpenAPI 3.1 and documents every API route the app serves, and nothing else", () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect((doc.info as Obj).title).toBeTruthy();
    const apiDir = fileURLToPath(new URL("..", import.meta.url));
    const served = (readdirSync(apiDir, { recursive: true }) as string[])
      .filter((f) => f.endsWith("route.ts") && !f.includes("[..."))
      .map((f) => `/api/${path.dirname(f)}`.replace(/\[(\w+)\]/g, "{$1}"))
      .sort();
    expect(served.length).toBeGreaterThan(10);
    expect(Object.keys(doc.paths as Obj).sort()).toEqual(served);
  });

  it("POST /api/ask's request body refers to a component requiring case and options but not stream", () => {
    expect(askPost().requestBody).toMatchObject({ required: true });
    const schema = askRequestSchema();
    expect(schema).toBeDefined();
    expect(schema.type).toBe("object");
    expect(schema.required).toEqual(expect.arrayContaining(["case", "options"]));
    expect(schema.required).not.toContain("stream"); // defaulted on the server, so optional for the client
    expect(schema.required).not.toContain("model");
    expect((schema.properties as Obj).stream).toMatchObject({ type: "boolean", default: true });
  });

  it("AskRequest rejects unknown properties, as the server does", () => {
    expect(askRequestSchema().additionalProperties).toBe(false);
    expect(schemas.Options?.additionalProperties).toBe(false);
    expect(schemas.Options?.required).toEqual(["A", "B"]);
  });

  it("AskRequest's limits match what the server enforces", () => {
    const p = askRequestSchema().properties as Record<string, Obj>;
    expect(p.case).toMatchObject({ type: "string", minLength: 1, maxLength: 20000 });
    expect(p.temperature).toMatchObject({ minimum: 0, maximum: 2 });
    expect(p.maxTokens).toMatchObject({ type: "integer", minimum: 1, maximum: 4096 });
    expect(p.seed).toMatchObject({ type: "integer", minimum: 0, maximum: 2 ** 31 - 1 });
  });

  it("every $ref in the document resolves to an existing component", () => {
    const refs = collect(doc, "$ref");
    expect(refs.length).toBeGreaterThan(10);
    for (const { at, value } of refs) {
      expect(typeof value, at).toBe("string");
      expect(value as string, at).toMatch(/^#\/components\/schemas\/[A-Za-z0-9._-]+$/);
      expect(resolve(value as string), `${at}: ${String(value)}`).toBeDefined();
    }
  });

  it("the response and event components are present and require their fields", () => {
    for (const id of [
      "AskResponse",
      "TokenEvent",
      "Answer",
      "DoneEvent",
      "Error",
      "ErrorDetail",
      "ModelsResponse",
      "HealthResponse",
    ]) {
      expect(schemas[id], id).toBeDefined();
    }
    // Responses use the output shape: everything the server always sends is required.
    expect(schemas.AskResponse?.required).toEqual(
      expect.arrayContaining(["answer", "analysis", "raw", "formatOk", "model", "backend", "timings"]),
    );
    expect(schemas.Error?.required).toEqual(["error"]);
    expect(schemas.ErrorDetail?.required).toEqual(expect.arrayContaining(["code", "message"]));
  });

  it("documents every error status POST /api/ask can answer, each with the Error envelope", () => {
    const codes: ErrorCode[] = [
      "invalid_json",
      "invalid_request",
      "unsupported_media_type",
      "payload_too_large",
      "model_not_found",
      "upstream_unavailable",
      "upstream_error",
      "upstream_timeout",
    ];
    const responses = askPost().responses as Record<string, Obj>;
    for (const code of codes) {
      const r = responses[String(ERROR_TABLE[code].status)];
      expect(r, code).toBeDefined();
      expect(((r!.content as Obj)["application/json"] as Obj).schema).toEqual({ $ref: "#/components/schemas/Error" });
    }
    expect(Object.keys(responses["200"]!.content as Obj)).toEqual(
      expect.arrayContaining(["application/json", "text/event-stream"]),
    );
  });

  it("has no leftover JSON Schema document keywords inside components", () => {
    // `$schema` belongs to a standalone JSON Schema document, not to an OpenAPI component.
    expect(collect(schemas, "$schema")).toEqual([]);
  });

  /** `$id` with a fragment is invalid in JSON Schema 2020-12 (OpenAPI 3.1), so components carry none. */
  it("components carry no fragment $id (invalid in JSON Schema 2020-12)", () => {
    const ids = collect(schemas, "$id").filter(({ value }) => typeof value === "string" && value.includes("#"));
    expect(ids).toEqual([]);
  });

  it("GET /api/openapi.json serves the same document as JSON", async () => {
    const res = GET();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await res.json()).toEqual(doc);
  });

  it("is stable across builds (no ids left over from a previous build)", () => {
    expect(JSON.parse(JSON.stringify(openApiDocument()))).toEqual(doc);
  });
});
