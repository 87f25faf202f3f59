import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { ErrorEnvelopeSchema } from "@/lib/schemas/ask";
import { ImportResponseSchema, ResultsPageSchema, RunViewSchema, type RunView } from "@/lib/schemas/eval";
import { resumeUnfinishedRuns, stopAllRuns } from "@/eval/runner/jobs";
import { startOllamaStandin, type OllamaStandin } from "@/test-support/ollama-standin";
import { POST as importDataset } from "@/app/api/datasets/route";
import { POST as mirror } from "../mirror/route";
import { GET as resultsOf } from "../results/route";
import { GET as getRun } from "../route";
import { POST as createRun } from "../../route";
import { POST as cancel } from "./route";

/** POST /api/runs/{id}/cancel against a run that is really going (the stand-in streams slowly). */

const TOKEN = "cancel-route-admin-token-1234";
const AUTH = { authorization: `Bearer ${TOKEN}` };
const MEDGPT = "mrizwank97/medgpt";
const ENV_KEYS = [
  "ADMIN_TOKEN", "MEDGPT_DB_PATH", "MEDGPT_JUDGE", "GROQ_API_KEY", "GROQ_BASE_URL", "WANDB_API_KEY", "WEAVE_PROJECT",
  "WF_TRACE_SERVER_URL", "MEDGPT_HF_DATASETS_URL", "OLLAMA_HOST", "MEDGPT_MODEL", "MEDGPT_PROMPT_FORMATS",
  "MEDGPT_MAX_TOKENS", "MEDGPT_NUM_CTX", "MEDGPT_TOP_P", "MEDGPT_UPSTREAM_TIMEOUT_MS", "MEDGPT_LOG_CASE_TEXT",
  "MEDGPT_EVAL_CONCURRENCY", "MEDGPT_JUDGE_CONCURRENCY",
];
const ITEMS = 30;
/** One generation at a time, so that when a result has been recorded the next generation has just begun streaming. */
const CONCURRENCY = 1;

let tmp: string;
let standin: OllamaStandin;
let datasetId = "";

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "medgpt-cancel-"));
  standin = await startOllamaStandin({ recordingsPath: null });
  for (const k of ENV_KEYS) vi.stubEnv(k, "");
  vi.stubEnv("ADMIN_TOKEN", TOKEN);
  vi.stubEnv("MEDGPT_DB_PATH", path.join(tmp, "medgpt.db"));
  vi.stubEnv("OLLAMA_HOST", standin.url);
  vi.stubEnv("MEDGPT_JUDGE", "none");

  // 30 medical-reasoning rows; the stand-in has no recording of any, so each reply is its made-up one (option B).
  const rows = Array.from({ length: ITEMS }, (_, i) =>
    JSON.stringify({
      instruction: "Please answer with one of the option in the bracket.",
      input: `Q:Case ${i}: a ${20 + i}-year-old patient has finding number ${i}. Which is most likely?? \n{'A': 'alpha ${i}', 'B': 'beta ${i}', 'C': 'gamma ${i}'},`,
      output: `<analysis>\nreasoning ${i}\n</analysis>\n<answer>\nB: beta ${i}\n</answer>`,
    }),
  );
  const res = await importDataset(
    new Request("http://localhost/api/datasets", { method: "POST", headers: { ...AUTH, "content-type": "application/json" }, body: JSON.stringify({ text: rows.join("\n"), name: "thirty" }) }),
    { params: Promise.resolve({}) },
  );
  expect(res.status).toBe(201);
  datasetId = ImportResponseSchema.parse(await res.json()).dataset.id;
});
afterAll(async () => {
  await stopAllRuns();
  await standin.stop();
  vi.unstubAllEnvs();
  rmSync(tmp, { recursive: true, force: true });
});
beforeEach(() => {
  standin.setTokenDelay(0);
  standin.reset();
});

const ctx = <P>(p: P) => ({ params: Promise.resolve(p) });

async function start(body: Record<string, unknown>): Promise<RunView> {
  const res = await createRun(
    new Request("http://localhost/api/runs", { method: "POST", headers: { ...AUTH, "content-type": "application/json" }, body: JSON.stringify(body) }),
    ctx({}),
  );
  expect(res.status).toBe(202);
  return RunViewSchema.parse(await res.json());
}
async function view(id: string): Promise<RunView> {
  const res = await getRun(new Request(`http://localhost/api/runs/${id}`, { headers: AUTH }), ctx({ id }));
  expect(res.status).toBe(200);
  return RunViewSchema.parse(await res.json());
}
async function poll(id: string, until: (v: RunView) => boolean): Promise<RunView> {
  for (;;) {
    const v = await view(id);
    if (until(v)) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
}
const cancelRun = (id: string) => cancel(new Request(`http://localhost/api/runs/${id}/cancel`, { method: "POST", headers: AUTH }), ctx({ id }));
const generateRequests = () => standin.requests.filter((r) => r.path === "/api/generate" || r.path === "/api/chat").length;

describe("POST /api/runs/{id}/cancel", () => {
  it("stops a running run: status cancelled, fewer results than items, in-flight generations abandoned", async () => {
    standin.setTokenDelay(10); // each reply streams for a while
    const queued = await start({ datasetId, models: [MEDGPT], concurrency: CONCURRENCY });
    expect(queued.total).toBe(ITEMS);
    // Wait until a result is recorded and the next item's generation is streaming (it has many tokens to go).
    const running = await poll(queued.id, (v) => v.done >= 1 && standin.stats.active === 1 && generateRequests() === v.done + 1);
    expect(running.status).toBe("running");

    // While it runs, a mirror retry is refused as a conflict.
    const conflict = await mirror(new Request(`http://localhost/api/runs/${queued.id}/mirror`, { method: "POST", headers: AUTH }), ctx({ id: queued.id }));
    expect(conflict.status).toBe(409);
    expect(ErrorEnvelopeSchema.parse(await conflict.json()).error.code).toBe("conflict");

    const res = await cancelRun(queued.id);
    expect(res.status).toBe(200);
    expect(RunViewSchema.parse(await res.json()).status).toBe("cancelled");

    await stopAllRuns(); // waits for the background executor to wind down
    const after = await view(queued.id);
    expect(after.status).toBe("cancelled");
    expect(after.finishedAt).not.toBeNull();
    expect(after.done).toBeGreaterThanOrEqual(1);
    expect(after.done).toBeLessThan(ITEMS);
    expect(after.errors).toBe(0); // abandoned generations are not recorded as errors
    expect(after.summary![0]).toMatchObject({ completed: after.done, errors: 0 });

    const results = ResultsPageSchema.parse(
      await (await resultsOf(new Request(`http://localhost/api/runs/${queued.id}/results?pageSize=200`, { headers: AUTH }), ctx({ id: queued.id }))).json(),
    );
    expect(results.totalRows).toBe(after.done);

    // The in-flight generations were abandoned (the model server sees the client go away), not run to the end,
    // and at most those were sent beyond what was recorded.
    while (standin.stats.active > 0) await new Promise((r) => setTimeout(r, 5));
    expect(standin.stats.aborted).toBe(1);
    expect(standin.stats.completed).toBe(after.done);
    expect(generateRequests()).toBe(after.done + 1);
    const sent = generateRequests();

    // Cancelling again is idempotent: same state, same results.
    const again = await cancelRun(queued.id);
    expect(again.status).toBe(200);
    const againView = RunViewSchema.parse(await again.json());
    expect(againView).toMatchObject({ status: "cancelled", done: after.done, finishedAt: after.finishedAt });
    expect(generateRequests()).toBe(sent);

    // A cancelled run is not picked up again at the next server start.
    expect(resumeUnfinishedRuns()).toBe(0);
    expect((await view(queued.id)).status).toBe("cancelled");
  });

  it("leaves a finished run as it is", async () => {
    const queued = await start({ datasetId, models: [MEDGPT], limit: 2 });
    const done = await poll(queued.id, (v) => v.status !== "queued" && v.status !== "running");
    expect(done.status).toBe("completed");
    const res = await cancelRun(queued.id);
    expect(res.status).toBe(200);
    expect(RunViewSchema.parse(await res.json())).toMatchObject({ status: "completed", done: 2, finishedAt: done.finishedAt });
    expect((await view(queued.id)).status).toBe("completed");
  });

  it("an unknown run → 404", async () => {
    const res = await cancelRun("run_does_not_exist");
    expect(res.status).toBe(404);
    expect(ErrorEnvelopeSchema.parse(await res.json()).error.code).toBe("not_found");
  });
});
