import {
  ComparisonSchema,
  CreateRunRequestSchema,
  DatasetViewSchema,
  DatasetsListSchema,
  DistributionsSchema,
  ImportJsonRequestSchema,
  ImportResponseSchema,
  ItemDetailSchema,
  JudgesResponseSchema,
  LabelRunRequestSchema,
  ResultsPageSchema,
  RunViewSchema,
  RunsListSchema,
} from "@/eval/api/schemas";
import { ResultsFilterSchema } from "@/eval/domain";
import { JUDGE_PROVIDER_IDS } from "@/eval/scorers/judges";
import { errorResponse, idOf, ref, type OpenApiContribution, type OpenApiOperation } from "@/lib/openapi";

const json = (id: string) => ({ content: { "application/json": { schema: ref(id) } } });
const adminErrors = {
  "401": errorResponse("unauthorized"),
  "403": errorResponse("admin_disabled (ADMIN_TOKEN not set)"),
  "404": errorResponse("not_found"),
};
const admin = (op: OpenApiOperation): OpenApiOperation => ({
  tags: ["evaluation (admin)"],
  security: [{ bearer: [] }, { cookie: [] }],
  ...op,
});
const idParam = { name: "id", in: "path", required: true, schema: { type: "string" } };
const queryParam = (name: string, schema: Record<string, unknown>, required = false) => ({
  name,
  in: "query",
  required,
  schema,
});

/** The researchers' API; every operation needs the admin session or bearer token. */
function evalPaths() {
  return {
    "/api/datasets": {
      get: admin({
        operationId: "listDatasets",
        summary: "Imported datasets",
        responses: { "200": { description: "Datasets", ...json(idOf(DatasetsListSchema)) }, ...adminErrors },
      }),
      post: admin({
        operationId: "importDataset",
        summary: "Import a dataset (multipart `file` + `name`, or JSON text / Hugging Face name)",
        requestBody: {
          content: {
            "multipart/form-data": {
              schema: {
                type: "object",
                properties: { file: { type: "string", format: "binary" }, name: { type: "string" } },
                required: ["file"],
              },
            },
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
      get: admin({
        operationId: "listRuns",
        summary: "Runs with progress",
        responses: { "200": { description: "Runs", ...json(idOf(RunsListSchema)) }, ...adminErrors },
      }),
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
    "/api/keys": {
      get: admin({
        operationId: "listApiKeys",
        summary: "Integrators' API keys with last use and request counts (never the keys)",
        responses: {
          "200": { description: "{keys: [{id, name, createdAt, revokedAt, lastUsedAt, requestCount}]}" },
          ...adminErrors,
        },
      }),
      post: admin({
        operationId: "createApiKey",
        summary: "Create an API key for POST /api/ask; the key is in this answer only",
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: { type: "object", properties: { name: { type: "string" } }, required: ["name"] },
            },
          },
        },
        responses: {
          "201": { description: "{id, name, key, createdAt}" },
          "400": errorResponse("invalid_request"),
          ...adminErrors,
        },
      }),
    },
    "/api/keys/{id}": {
      delete: admin({
        operationId: "revokeApiKey",
        summary: "Revoke an API key at once",
        parameters: [idParam],
        responses: { "200": { description: "the revoked key" }, ...adminErrors },
      }),
    },
    "/api/audit": {
      get: admin({
        operationId: "listAudit",
        summary: "The latest admin actions: logins, runs started, cancelled and resumed, uploads, API keys",
        responses: { "200": { description: "{entries: [{id, at, action, actor, target, detail}]}" }, ...adminErrors },
      }),
    },
    "/api/judges": {
      get: admin({
        operationId: "listJudges",
        summary: `Judge providers (${JUDGE_PROVIDER_IDS.join(", ")}) and whether this server can use each`,
        responses: { "200": { description: "Judges", ...json(idOf(JudgesResponseSchema)) }, ...adminErrors },
      }),
    },
    "/api/runs/{id}": {
      get: admin({
        operationId: "getRun",
        summary: "A run with its progress, settings, warnings and per-model summary (calibration included)",
        parameters: [idParam],
        responses: { "200": { description: "Run", ...json(idOf(RunViewSchema)) }, ...adminErrors },
      }),
      patch: admin({
        operationId: "labelRun",
        summary: "Name the run and keep notes with it",
        parameters: [idParam],
        requestBody: { required: true, ...json(idOf(LabelRunRequestSchema)) },
        responses: {
          "200": { description: "Run", ...json(idOf(RunViewSchema)) },
          "400": errorResponse("invalid_request"),
          ...adminErrors,
        },
      }),
    },
    "/api/runs/{id}/cancel": {
      post: admin({
        operationId: "cancelRun",
        summary: "Cancel (idempotent)",
        parameters: [idParam],
        responses: { "200": { description: "Run", ...json(idOf(RunViewSchema)) }, ...adminErrors },
      }),
    },
    "/api/runs/{id}/resume": {
      post: admin({
        operationId: "resumeRun",
        summary: "Continue a stopped run (failed items are tried again)",
        parameters: [idParam],
        responses: {
          "202": { description: "Run", ...json(idOf(RunViewSchema)) },
          "409": errorResponse("conflict: complete, or being executed"),
          ...adminErrors,
        },
      }),
    },
    "/api/runs/{id}/mirror": {
      post: admin({
        operationId: "retryMirror",
        summary: "Retry the Weave mirror",
        parameters: [idParam],
        responses: {
          "202": { description: "Run", ...json(idOf(RunViewSchema)) },
          "409": errorResponse("conflict: still running"),
          ...adminErrors,
        },
      }),
    },
    "/api/runs/{id}/results": {
      get: admin({
        operationId: "listResults",
        summary: "Per-question results, filtered and paged",
        parameters: [
          idParam,
          queryParam("page", { type: "integer", minimum: 1, default: 1 }),
          queryParam("pageSize", { type: "integer", minimum: 1, maximum: 200, default: 25 }),
          queryParam("filter", { type: "string", enum: ResultsFilterSchema.options, default: "all" }),
          queryParam("model", { type: "string" }),
          queryParam("q", { type: "string" }),
        ],
        responses: { "200": { description: "ResultsPage", ...json(idOf(ResultsPageSchema)) }, ...adminErrors },
      }),
    },
    "/api/runs/{id}/distributions": {
      get: admin({
        operationId: "getDistributions",
        summary: "Latency and judge score of every result (for histograms)",
        parameters: [idParam],
        responses: { "200": { description: "Distributions", ...json(idOf(DistributionsSchema)) }, ...adminErrors },
      }),
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
        parameters: [
          ...["runA", "modelA", "runB", "modelB"].map((n) => queryParam(n, { type: "string" }, true)),
          queryParam("page", { type: "integer", minimum: 1, default: 1 }),
          queryParam("pageSize", { type: "integer", minimum: 1, maximum: 200, default: 25 }),
          queryParam("filter", { type: "string", enum: ResultsFilterSchema.options, default: "disagree" }),
          queryParam("q", { type: "string" }),
        ],
        responses: { "200": { description: "Comparison", ...json(idOf(ComparisonSchema)) }, ...adminErrors },
      }),
    },
  };
}

/** Evaluation's part of the OpenAPI document. */
export const evalOpenApi: OpenApiContribution = {
  paths: evalPaths(),
  schemas: [
    JudgesResponseSchema,
    DistributionsSchema,
    RunsListSchema,
    DatasetsListSchema,
    ComparisonSchema,
    CreateRunRequestSchema,
    DatasetViewSchema,
    ImportJsonRequestSchema,
    ImportResponseSchema,
    ItemDetailSchema,
    ResultsPageSchema,
    RunViewSchema,
  ],
  requestSchemas: [CreateRunRequestSchema, ImportJsonRequestSchema, LabelRunRequestSchema],
};
