import { z } from "zod";
import {
  AskEventSchemas,
  AskRequestSchema,
  AskResponseSchema,
  ErrorEnvelopeSchema,
} from "@/lib/schemas/ask";
import { HealthResponseSchema, ModelsResponseSchema } from "@/lib/schemas/service";
import {
  ComparisonSchema,
  CreateRunRequestSchema,
  DatasetViewSchema,
  ImportJsonRequestSchema,
  ImportResponseSchema,
  ItemDetailSchema,
  ResultsPageSchema,
  RunViewSchema,
  RunsListSchema,
  DatasetsListSchema,
  DistributionsSchema,
} from "@/eval/api/schemas";

/**
 * The OpenAPI 3.1 document, generated from the zod schemas (never written by hand). Every schema with a
 * `.meta({ id })` becomes a component; requests use the input shape (defaults optional), responses the output.
 */

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const idOf = (schema: z.ZodType) => (z.globalRegistry.get(schema) as { id?: string } | undefined)?.id ?? "";

function components(): Record<string, unknown> {
  // Touch every wire schema so its id is registered before we walk the registry.
  void [AskRequestSchema, AskResponseSchema, ErrorEnvelopeSchema, HealthResponseSchema, ModelsResponseSchema, ...EVAL_SCHEMAS];
  const uri = (id: string) => `#/components/schemas/${id}`;
  const output = z.toJSONSchema(z.globalRegistry, { uri, io: "output", unrepresentable: "any" }).schemas;
  const input = z.toJSONSchema(z.globalRegistry, { uri, io: "input", unrepresentable: "any" }).schemas;
  const requestIds = new Set([idOf(AskRequestSchema), "Options", idOf(CreateRunRequestSchema), idOf(ImportJsonRequestSchema)]);
  const merged: Record<string, unknown> = {};
  for (const [id, schema] of Object.entries(output)) {
    // `$id` with a fragment is invalid in JSON Schema 2020-12; the component's key already names it.
    const { $schema: _drop, $id: _id, ...rest } = (requestIds.has(id) ? input[id] : schema) as Record<string, unknown>;
    merged[id] = rest;
  }
  return merged;
}

const EVAL_SCHEMAS = [DistributionsSchema, RunsListSchema, DatasetsListSchema, ComparisonSchema, CreateRunRequestSchema, DatasetViewSchema, ImportJsonRequestSchema, ImportResponseSchema, ItemDetailSchema, ResultsPageSchema, RunViewSchema];

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
      ...evalPaths(),
      "/api/openapi.json": {
        get: { operationId: "openapi", summary: "This document", responses: { "200": { description: "OpenAPI 3.1" } } },
      },
    },
    components: {
      schemas: components(),
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "The server's ADMIN_TOKEN." },
        cookie: { type: "apiKey", in: "cookie", name: "medgpt_admin", description: "Set by POST /api/admin/login." },
      },
    },
  };
}

const json = (id: string) => ({ content: { "application/json": { schema: ref(id) } } });
const adminErrors = {
  "401": errorResponse("unauthorized"),
  "403": errorResponse("admin_disabled (ADMIN_TOKEN not set)"),
  "404": errorResponse("not_found"),
};
const admin = (op: Record<string, unknown>) => ({ tags: ["evaluation (admin)"], security: [{ bearer: [] }, { cookie: [] }], ...op });
const idParam = { name: "id", in: "path", required: true, schema: { type: "string" } };
const queryParam = (name: string, schema: Record<string, unknown>, required = false) => ({ name, in: "query", required, schema });

/** The researchers' API; every operation needs the admin session or bearer token. */
function evalPaths() {
  return {
    "/api/datasets": {
      get: admin({ operationId: "listDatasets", summary: "Imported datasets", responses: { "200": { description: "Datasets", ...json(idOf(DatasetsListSchema)) }, ...adminErrors } }),
      post: admin({
        operationId: "importDataset",
        summary: "Import a dataset (multipart `file` + `name`, or JSON text / Hugging Face name)",
        requestBody: {
          content: {
            "multipart/form-data": { schema: { type: "object", properties: { file: { type: "string", format: "binary" }, name: { type: "string" } }, required: ["file"] } },
            "application/json": { schema: ref(idOf(ImportJsonRequestSchema)) },
          },
        },
        responses: {
          "201": { description: "imported", ...json(idOf(ImportResponseSchema)) },
          "200": { description: "the same content was imported before", ...json(idOf(ImportResponseSchema)) },
          "422": errorResponse("invalid_dataset: no usable row; `issues` lists lines"),
          ...adminErrors,
        },
      }),
    },
    "/api/runs": {
      get: admin({ operationId: "listRuns", summary: "Runs with progress", responses: { "200": { description: "Runs", ...json(idOf(RunsListSchema)) }, ...adminErrors } }),
      post: admin({
        operationId: "createRun",
        summary: "Start an evaluation run in the background",
        requestBody: { required: true, ...json(idOf(CreateRunRequestSchema)) },
        responses: {
          "202": { description: "queued; poll GET /api/runs/{id}", ...json(idOf(RunViewSchema)) },
          "400": errorResponse("invalid_request"),
          "503": errorResponse("upstream_unavailable"),
          ...adminErrors,
        },
      }),
    },
    "/api/runs/{id}": {
      get: admin({ operationId: "getRun", summary: "A run with its progress and per-model summary", parameters: [idParam], responses: { "200": { description: "Run", ...json(idOf(RunViewSchema)) }, ...adminErrors } }),
    },
    "/api/runs/{id}/cancel": {
      post: admin({ operationId: "cancelRun", summary: "Cancel (idempotent)", parameters: [idParam], responses: { "200": { description: "Run", ...json(idOf(RunViewSchema)) }, ...adminErrors } }),
    },
    "/api/runs/{id}/resume": {
      post: admin({ operationId: "resumeRun", summary: "Continue a stopped run (failed items are tried again)", parameters: [idParam], responses: { "202": { description: "Run", ...json(idOf(RunViewSchema)) }, "409": errorResponse("conflict: complete, or being executed"), ...adminErrors } }),
    },
    "/api/runs/{id}/mirror": {
      post: admin({ operationId: "retryMirror", summary: "Retry the Weave mirror", parameters: [idParam], responses: { "202": { description: "Run", ...json(idOf(RunViewSchema)) }, "409": errorResponse("conflict: still running"), ...adminErrors } }),
    },
    "/api/runs/{id}/results": {
      get: admin({
        operationId: "listResults",
        summary: "Per-question results, filtered and paged",
        parameters: [
          idParam,
          queryParam("page", { type: "integer", minimum: 1, default: 1 }),
          queryParam("pageSize", { type: "integer", minimum: 1, maximum: 200, default: 25 }),
          queryParam("filter", { type: "string", enum: ["all", "wrong", "errors", "disagree", "unparseable"], default: "all" }),
          queryParam("model", { type: "string" }),
          queryParam("q", { type: "string" }),
        ],
        responses: { "200": { description: "ResultsPage", ...json(idOf(ResultsPageSchema)) }, ...adminErrors },
      }),
    },
    "/api/runs/{id}/distributions": {
      get: admin({ operationId: "getDistributions", summary: "Latency and judge score of every result (for histograms)", parameters: [idParam], responses: { "200": { description: "Distributions", ...json(idOf(DistributionsSchema)) }, ...adminErrors } }),
    },
    "/api/runs/{id}/items/{idx}": {
      get: admin({
        operationId: "getItem",
        summary: "Drill-down for one question",
        parameters: [idParam, { name: "idx", in: "path", required: true, schema: { type: "integer", minimum: 0 } }],
        responses: { "200": { description: "ItemDetail", ...json(idOf(ItemDetailSchema)) }, ...adminErrors },
      }),
    },
    "/api/runs/{id}/export": {
      get: admin({
        operationId: "exportRun",
        summary: "Results as a CSV or JSONL download",
        parameters: [idParam, queryParam("format", { type: "string", enum: ["csv", "jsonl"], default: "csv" })],
        responses: { "200": { description: "text/csv or application/x-ndjson" }, ...adminErrors },
      }),
    },
    "/api/compare": {
      get: admin({
        operationId: "compare",
        summary: "Paired comparison of two models or runs on the same items",
        parameters: ["runA", "modelA", "runB", "modelB"].map((n) => queryParam(n, { type: "string" }, true)),
        responses: { "200": { description: "Comparison", ...json(idOf(ComparisonSchema)) }, ...adminErrors },
      }),
    },
    "/api/admin/login": {
      post: {
        tags: ["evaluation (admin)"],
        operationId: "login",
        summary: "Exchange ADMIN_TOKEN for an httpOnly session cookie",
        requestBody: { content: { "application/json": { schema: { type: "object", properties: { token: { type: "string" } }, required: ["token"] } } } },
        responses: { "200": { description: "cookie set" }, "401": errorResponse("unauthorized"), "403": errorResponse("admin_disabled") },
      },
    },
    "/api/admin/logout": { post: { tags: ["evaluation (admin)"], operationId: "logout", summary: "Clear the session cookie", responses: { "200": { description: "ok" } } } },
  };
}
