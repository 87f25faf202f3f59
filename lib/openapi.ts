import { z } from "zod";
import { AskEventSchemas, AskRequestSchema, AskResponseSchema, ErrorEnvelopeSchema } from "@/lib/schemas/ask";
import { HealthResponseSchema, ModelsResponseSchema } from "@/lib/schemas/service";

/**
 * The OpenAPI 3.1 document, generated from the zod schemas (never written by hand). Every schema with a
 * `.meta({ id })` becomes a component; requests use the input shape (defaults optional), responses the output.
 * lib/ documents its own routes; other layers (evaluation) contribute theirs as an `OpenApiContribution`, and the
 * document is assembled where both are visible (app/api/openapi.json/document.ts).
 */

export type OpenApiOperation = { summary: string; responses: Record<string, unknown>; [key: string]: unknown };
export type OpenApiPaths = Record<string, Record<string, OpenApiOperation>>;

export type OpenApiContribution = {
  paths: OpenApiPaths;
  /** Every wire schema the paths refer to (touching them registers their ids). */
  schemas: z.ZodType[];
  /** Schemas documented in their input shape (request bodies: defaults optional). */
  requestSchemas: z.ZodType[];
};

export const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
export const idOf = (schema: z.ZodType) => (z.globalRegistry.get(schema) as { id?: string } | undefined)?.id ?? "";

/**
 * The global registry's metadata, with each id kept only on the schema the registry holds for it. A Next.js server
 * can load a schema module twice (server components and the server render of client components), registering two
 * objects under one id; zod then refuses to convert. The copy that is not the registered one is inlined instead.
 */
function canonicalIds(): typeof z.globalRegistry {
  const registry = z.globalRegistry;
  const view = z.registry<z.core.GlobalMeta>();
  view.get = ((schema: z.core.$ZodType) => {
    const meta = registry.get(schema);
    if (meta?.id === undefined || registry._idmap.get(meta.id) === schema) return meta;
    const { id: _duplicate, ...rest } = meta;
    return rest;
  }) as typeof view.get;
  view.has = (schema) => registry.has(schema);
  return view as unknown as typeof z.globalRegistry;
}

function components(contributions: OpenApiContribution[]): Record<string, unknown> {
  // Touch every wire schema so its id is registered before we walk the registry.
  void [
    AskRequestSchema,
    AskResponseSchema,
    ErrorEnvelopeSchema,
    HealthResponseSchema,
    ModelsResponseSchema,
    ...contributions.flatMap((c) => c.schemas),
  ];
  const uri = (id: string) => `#/components/schemas/${id}`;
  const metadata = canonicalIds();
  const output = z.toJSONSchema(z.globalRegistry, { uri, io: "output", unrepresentable: "any", metadata }).schemas;
  const input = z.toJSONSchema(z.globalRegistry, { uri, io: "input", unrepresentable: "any", metadata }).schemas;
  const requestIds = new Set([
    idOf(AskRequestSchema),
    "Options",
    ...contributions.flatMap((c) => c.requestSchemas.map(idOf)),
  ]);
  const merged: Record<string, unknown> = {};
  for (const [id, schema] of Object.entries(output)) {
    // `$id` with a fragment is invalid in JSON Schema 2020-12; the component's key already names it.
    const { $schema: _drop, $id: _id, ...rest } = (requestIds.has(id) ? input[id] : schema) as Record<string, unknown>;
    merged[id] = rest;
  }
  return merged;
}

export const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: ref("Error") } },
});

const ASK_STREAM_DESCRIPTION = [
  "Server-sent events, in order: `token` (many) → `answer` → `done`. A `token` event carries the next piece of",
  "the reply: usually one model token, several when they arrived together or while the client was not reading.",
  "A failure after streaming began ends",
  "the stream with one `error` event. Each event's `data` is one JSON object:",
  ...Object.keys(AskEventSchemas).map(
    (name) => `- \`${name}\`: see schema \`${idOf(AskEventSchemas[name as keyof typeof AskEventSchemas])}\``,
  ),
].join("\n");

export function buildOpenApiDocument(contributions: OpenApiContribution[], serverUrl?: string) {
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
          security: [{}, { apiKey: [] }],
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
            "401": errorResponse(
              "invalid_api_key (unknown or revoked key), or api_key_required (MEDGPT_ASK_REQUIRE_KEY)",
            ),
            "408": errorResponse("request_timeout (the body did not arrive in time)"),
            "429": errorResponse("rate_limited (per client address or per key; see Retry-After)"),
            "404": errorResponse("model_not_found"),
            "413": errorResponse("payload_too_large (body over 64 KB)"),
            "415": errorResponse("unsupported_media_type (body is not JSON)"),
            "502": errorResponse("upstream_error"),
            "503": errorResponse(
              "upstream_unavailable (model server unreachable), or busy (too many generations; see Retry-After)",
            ),
            "504": errorResponse("upstream_timeout"),
          },
        },
      },
      "/api/models": {
        get: {
          operationId: "listModels",
          summary: "Models available on the inference backend",
          responses: {
            "200": {
              description: "Models",
              content: { "application/json": { schema: ref(idOf(ModelsResponseSchema)) } },
            },
            "503": errorResponse("upstream_unavailable"),
          },
        },
      },
      "/api/health": {
        get: {
          operationId: "health",
          summary: "Backend reachability and default-model presence",
          responses: {
            "200": {
              description: "ok or degraded",
              content: { "application/json": { schema: ref(idOf(HealthResponseSchema)) } },
            },
            "503": {
              description: "unavailable",
              content: { "application/json": { schema: ref(idOf(HealthResponseSchema)) } },
            },
          },
        },
      },
      ...(Object.assign({}, ...contributions.map((c) => c.paths)) as OpenApiPaths),
      ...ADMIN_SESSION_PATHS,
      ...METRICS_PATHS,
      "/api/openapi.json": {
        get: { operationId: "openapi", summary: "This document", responses: { "200": { description: "OpenAPI 3.1" } } },
      },
    },
    components: {
      schemas: components(contributions),
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "The server's ADMIN_TOKEN." },
        apiKey: {
          type: "http",
          scheme: "bearer",
          description: "An integrator's API key (POST /api/keys), for POST /api/ask.",
        },
        cookie: { type: "apiKey", in: "cookie", name: "medgpt_admin", description: "Set by POST /api/admin/login." },
        metricsToken: {
          type: "http",
          scheme: "bearer",
          description: "The server's MEDGPT_METRICS_TOKEN, for GET /api/metrics (a Prometheus scraper).",
        },
      },
    },
  };
}

/** The admin session (lib/auth.ts) is the app's, whichever area uses it. */
const ADMIN_SESSION_PATHS: OpenApiPaths = {
  "/api/admin/login": {
    post: {
      tags: ["admin session"],
      operationId: "login",
      summary: "Exchange ADMIN_TOKEN for an httpOnly session cookie",
      requestBody: {
        content: {
          "application/json": {
            schema: { type: "object", properties: { token: { type: "string" } }, required: ["token"] },
          },
        },
      },
      responses: {
        "200": { description: "cookie set" },
        "401": errorResponse("unauthorized"),
        "403": errorResponse("admin_disabled"),
      },
    },
  },
  "/api/admin/logout": {
    post: {
      tags: ["admin session"],
      operationId: "logout",
      summary: "Clear the session cookie",
      responses: { "200": { description: "ok" } },
    },
  },
};

/** The server's own figures for Prometheus (lib/observability/metrics.ts). */
const METRICS_PATHS: OpenApiPaths = {
  "/api/metrics": {
    get: {
      tags: ["operations"],
      operationId: "metrics",
      security: [{ metricsToken: [] }, { bearer: [] }, { cookie: [] }],
      summary:
        "Prometheus metrics: asks by outcome, latencies, tokens, generations in flight, evaluation, Node process",
      responses: {
        "200": {
          description: "Prometheus text exposition format; never cached.",
          content: { "text/plain; version=0.0.4": { schema: { type: "string" } } },
        },
        "401": errorResponse("unauthorized (no MEDGPT_METRICS_TOKEN or admin credentials)"),
      },
    },
  },
};
