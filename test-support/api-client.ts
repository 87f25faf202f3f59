/**
 * The admin API called in-process as an admin: each helper builds the Request with the admin's bearer token, calls
 * the real route handler, and (where it parses the answer) first asserts the status the call must have.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, vi } from "vitest";
import { z } from "zod";
import {
  ImportResponseSchema,
  ItemDetailSchema,
  JudgesResponseSchema,
  ResultsPageSchema,
  RunViewSchema,
  type RunView,
} from "@/eval/api/schemas";
import { stopAllRuns } from "@/eval/runner/jobs";
import { GET as compareRoute } from "@/app/api/compare/route";
import { POST as importRoute } from "@/app/api/datasets/route";
import { POST as cancelRoute } from "@/app/api/runs/[id]/cancel/route";
import { GET as exportRoute } from "@/app/api/runs/[id]/export/route";
import { GET as itemRoute } from "@/app/api/runs/[id]/items/[idx]/route";
import { GET as judgesRoute } from "@/app/api/judges/route";
import { POST as mirrorRoute } from "@/app/api/runs/[id]/mirror/route";
import { GET as resultsRoute } from "@/app/api/runs/[id]/results/route";
import { PATCH as patchRunRoute, GET as runRoute } from "@/app/api/runs/[id]/route";
import { GET as listRunsRoute, POST as createRunRoute } from "@/app/api/runs/route";
import { ctx } from "./api";
import { writeRecordings, type Recording } from "./mr-dataset";
import { startOllamaStandin, type OllamaStandin } from "./ollama-standin";

export const ADMIN_TOKEN = "test-admin-token-0123456789abcdef";
export const AUTH = { authorization: `Bearer ${ADMIN_TOKEN}` };
const BASE = "http://localhost";

/** Every variable the admin routes read: all blanked first, so that the developer's own environment cannot leak in. */
const ADMIN_ENV_KEYS = [
  "ADMIN_TOKEN",
  "MEDGPT_DB_PATH",
  "MEDGPT_JUDGE",
  "GROQ_API_KEY",
  "GROQ_BASE_URL",
  "WANDB_API_KEY",
  "WEAVE_PROJECT",
  "WF_TRACE_SERVER_URL",
  "MEDGPT_HF_DATASETS_URL",
  "OLLAMA_HOST",
  "MEDGPT_MODEL",
  "MEDGPT_PROMPT_FORMATS",
  "MEDGPT_MAX_TOKENS",
  "MEDGPT_NUM_CTX",
  "MEDGPT_TOP_P",
  "MEDGPT_UPSTREAM_TIMEOUT_MS",
  "MEDGPT_LOG_CASE_TEXT",
  "MEDGPT_EVAL_CONCURRENCY",
  "MEDGPT_JUDGE_CONCURRENCY",
];

/** The server's environment: `vars`, and every other admin variable unset ("" counts as unset in loadConfig). */
export function stubAdminEnv(vars: Record<string, string>) {
  for (const k of ADMIN_ENV_KEYS) vi.stubEnv(k, "");
  for (const [k, v] of Object.entries(vars)) vi.stubEnv(k, v);
}

export type RunServer = { ollama: OllamaStandin; stop(): Promise<void> };

/**
 * What a test of evaluation runs needs around the admin routes: a temp directory for the database, the Ollama
 * stand-in (replaying `recordings` when given, else only made-up replies), and the admin environment pointing at both,
 * the judge off unless `env` says otherwise. stop() waits for the runs still going, then undoes all of it.
 */
export async function startRunServer(
  prefix: string,
  opts: { recordings?: Recording[]; env?: Record<string, string> } = {},
): Promise<RunServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const ollama = await startOllamaStandin({
    recordingsPath: opts.recordings ? writeRecordings(dir, opts.recordings) : null,
  });
  stubAdminEnv({
    ADMIN_TOKEN,
    MEDGPT_DB_PATH: path.join(dir, "medgpt.db"),
    OLLAMA_HOST: ollama.url,
    MEDGPT_JUDGE: "none",
    ...opts.env,
  });
  return {
    ollama,
    async stop() {
      await stopAllRuns();
      await ollama.stop();
      vi.unstubAllEnvs();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const get = (apiPath: string) => new Request(`${BASE}${apiPath}`, { headers: AUTH });

/** A POST with `body` as JSON (a string goes as it is, under `contentType`); without a body, a bare POST. */
function post(apiPath: string, body?: unknown, contentType = "application/json") {
  if (body === undefined) return new Request(`${BASE}${apiPath}`, { method: "POST", headers: AUTH });
  return new Request(`${BASE}${apiPath}`, {
    method: "POST",
    headers: { ...AUTH, "content-type": contentType },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** POST /api/datasets with pasted text: 201, the import's answer. */
export async function importDataset(text: string, name: string) {
  const res = await importRoute(post("/api/datasets", { text, name }), ctx({}));
  expect(res.status).toBe(201);
  return ImportResponseSchema.parse(await res.json());
}

export const createRun = (body: unknown, contentType?: string) =>
  createRunRoute(post("/api/runs", body, contentType), ctx({}));

/** POST /api/runs: 202 with the queued run, and its address in Location. */
export async function startRun(body: Record<string, unknown>): Promise<RunView> {
  const res = await createRun(body);
  expect(res.status).toBe(202);
  const run = RunViewSchema.parse(await res.json());
  expect(res.headers.get("location")).toBe(`/api/runs/${run.id}`);
  return run;
}

export const getRun = (id: string) => runRoute(get(`/api/runs/${id}`), ctx({ id }));

export async function viewRun(id: string): Promise<RunView> {
  const res = await getRun(id);
  expect(res.status).toBe(200);
  return RunViewSchema.parse(await res.json());
}

const FINISHED = ["completed", "partial", "cancelled", "failed"];
const finished = (run: RunView) => FINISHED.includes(run.status);

/** Polls GET /api/runs/{id} until `until` holds for the run: by default, until it has finished. */
export async function waitForRun(id: string, until: (run: RunView) => boolean = finished): Promise<RunView> {
  for (;;) {
    const run = await viewRun(id);
    if (until(run)) return run;
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Starts a run and waits for it to finish. */
export const runToEnd = async (body: Record<string, unknown>) => waitForRun((await startRun(body)).id);

export async function listRuns(): Promise<RunView[]> {
  const res = await listRunsRoute(get("/api/runs"), ctx({}));
  expect(res.status).toBe(200);
  return z.object({ runs: RunViewSchema.array() }).parse(await res.json()).runs;
}

export const results = (id: string, query: string) =>
  resultsRoute(get(`/api/runs/${id}/results?${query}`), ctx({ id }));

/** GET /api/runs/{id}/results?query: 200, the page. */
export async function page(id: string, query: string) {
  const res = await results(id, query);
  expect(res.status, query).toBe(200);
  return ResultsPageSchema.parse(await res.json());
}

export const item = (id: string, idx: number | string) =>
  itemRoute(get(`/api/runs/${id}/items/${idx}`), ctx({ id, idx: String(idx) }));

/** GET /api/runs/{id}/items/{idx}: 200, the item with every model's answer. */
export async function detail(id: string, idx: number | string) {
  const res = await item(id, idx);
  expect(res.status).toBe(200);
  return ItemDetailSchema.parse(await res.json());
}

export const exported = (id: string, format?: string) =>
  exportRoute(get(`/api/runs/${id}/export${format ? `?format=${format}` : ""}`), ctx({ id }));

export const mirror = (id: string) => mirrorRoute(post(`/api/runs/${id}/mirror`), ctx({ id }));

export const cancel = (id: string) => cancelRoute(post(`/api/runs/${id}/cancel`), ctx({ id }));

export const compare = (query: Record<string, string>) =>
  compareRoute(get(`/api/compare?${new URLSearchParams(query)}`), ctx({}));

/** GET /api/judges: the judge providers and whether this server can use each. */
export async function listJudges() {
  const res = await judgesRoute(new Request(`${BASE}/api/judges`, { headers: AUTH }), ctx({}));
  expect(res.status).toBe(200);
  return JudgesResponseSchema.parse(await res.json());
}

/** PATCH /api/runs/{id} as the admin, answered as is. */
export function patchRun(id: string, body: unknown): Promise<Response> {
  const init = {
    method: "PATCH",
    headers: { ...AUTH, "content-type": "application/json" },
    body: JSON.stringify(body),
  };
  return patchRunRoute(new Request(`${BASE}/api/runs/${id}`, init), ctx({ id }));
}

/** PATCH /api/runs/{id}, expecting 200; the updated run. */
export async function labelRun(id: string, body: { name?: string | null; notes?: string | null }): Promise<RunView> {
  const res = await patchRun(id, body);
  expect(res.status).toBe(200);
  return RunViewSchema.parse(await res.json());
}
