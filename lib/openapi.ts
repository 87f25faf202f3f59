import { z } from "zod";
import {
  AskEventSchemas,
  AskRequestSchema,
  AskResponseSchema,
  ErrorEnvelopeSchema,
} from "@/lib/schemas/ask";
import { HealthResponseSchema, ModelsResponseSchema } from "@/lib/schemas/service";

/**
 * The OpenAPI 3.1 document, generated from the zod schemas (never written by hand). Every schema with a
 * `.meta({ id })` becomes a component; requests use the input shape (defaults optional), responses the output.
 */

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const idOf = (schema: z.ZodType) => (z.globalRegistry.get(schema) as { id?: string } | undefined)?.id ?? "";

function components(): Record<string, unknown> {
  // Touch every wire schema so its id is registered before we walk the registry.
  void [AskRequestSchema, AskResponseSchema, ErrorEnvelopeSchema, HealthResponseSchema, ModelsResponseSchema];
  const uri = (id: string) => `#/components/schemas/${id}`;
  const output = z.toJSONSchema(z.globalRegistry, { uri, io: "output", unrepresentable: "any" }).schemas;
  const input = z.toJSONSchema(z.globalRegistry, { uri, io: "input", unrepresentable: "any" }).schemas;
  const requestIds = new Set([idOf(AskRequestSchema), "Options"]);
  const merged: Record<string, unknown> = {};
  for (const [id, schema] of Object.entries(output)) {
    // `$id` with a fragment is invalid in JSON Schema 2020-12; the component's key already names it.
    const { $schema: _drop, $id: _id, ...rest } = (requestIds.has(id) ? input[id] : schema) as Record<string, unknown>;
    merged[id] = rest;
  }
  return merged;
}

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: ref("Error") } },
});

const ASK_STREAM_DESCRIPTION = [
  "Server-sent events, in order: `token` (many) → `answer` → `done`. A failure after streaming began ends",
  "the stream with one `error` event. Each event's `data` is one JSON object:",
  ...Object.keys(AskEventSchemas).map((name) => `- \`${name}\`: see schema \`${idOf(AskEventSchemas[name as keyof typeof AskEventSchemas])}\``),
].join("\n");

export function buildOpenApiDocument(serverUrl?: string) {
  return {
    openapi: "3.1.0",
    info: {
      title: "MedGPT API",
      version: "1.0.0",
      description:
        "Medical multiple-choice reasoning with a fine-tuned Gemma 2 2B. Outputs are decision support for professionals, not a diagnosis.",
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    paths: {
      "/api/ask": {
        post: {
          operationId: "ask",
          summary: "Answer a multiple-choice clinical question",
          requestBody: { required: true, content: { "application/json": { schema: ref(idOf(AskRequestSchema)) } } },
          responses: {
            "200": {
              description: "`stream: false` → JSON. `stream: true` (default) → text/event-stream.",
              content: {
                "application/json": { schema: ref(idOf(AskResponseSchema)) },
                "text/event-stream": { schema: { type: "string", description: ASK_STREAM_DESCRIPTION } },
              },
            },
            "400": errorResponse("invalid_json or invalid_request (see `issues` for field paths)"),
            "404": errorResponse("model_not_found"),
            "413": errorResponse("payload_too_large (body over 64 KB)"),
            "415": errorResponse("unsupported_media_type (body is not JSON)"),
            "502": errorResponse("upstream_error"),
            "503": errorResponse("upstream_unavailable (model server unreachable)"),
            "504": errorResponse("upstream_timeout"),
          },
        },
      },
      "/api/models": {
        get: {
          operationId: "listModels",
          summary: "Models available on the inference backend",
          responses: {
            "200": { description: "Models", content: { "application/json": { schema: ref(idOf(ModelsResponseSchema)) } } },
            "503": errorResponse("upstream_unavailable"),
          },
        },
      },
      "/api/health": {
        get: {
          operationId: "health",
          summary: "Backend reachability and default-model presence",
          responses: {
            "200": { description: "ok or degraded", content: { "application/json": { schema: ref(idOf(HealthResponseSchema)) } } },
            "503": { description: "unavailable", content: { "application/json": { schema: ref(idOf(HealthResponseSchema)) } } },
          },
        },
      },
      "/api/openapi.json": {
        get: { operationId: "openapi", summary: "This document", responses: { "200": { description: "OpenAPI 3.1" } } },
      },
    },
    components: { schemas: components() },
  };
}
