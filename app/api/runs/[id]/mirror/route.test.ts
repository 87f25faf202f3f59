import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ErrorEnvelopeSchema } from "@/lib/schemas/ask";
import { ImportResponseSchema, RunViewSchema, type RunView } from "@/lib/schemas/eval";
import { stopAllRuns } from "@/eval/runner/jobs";
import { startOllamaStandin, type OllamaStandin } from "@/test-support/ollama-standin";
import { startWeaveStandin, type WeaveStandin } from "@/test-support/weave-standin";
import { POST as importDataset } from "@/app/api/datasets/route";
import { GET as getRun } from "../route";
import { POST as createRun } from "../../route";
import { POST as mirror } from "./route";

/**
 * With Weave configured (WANDB_API_KEY, WEAVE_PROJECT, WF_TRACE_SERVER_URL = the Weave stand-in): a finished run is
 * mirrored in the background, and POST /api/runs/{id}/mirror retries it.
 */

const TOKEN = "mirror-route-admin-token-777";
const AUTH = { authorization: `Bearer ${TOKEN}` };
const MEDGPT = "mrizwank97/medgpt";
const PROJECT = "medgpt-team/medgpt-evals";
const ENV_KEYS = [
  "ADMIN_TOKEN", "MEDGPT_DB_PATH", "MEDGPT_JUDGE", "GROQ_API_KEY", "GROQ_BASE_URL", "WANDB_API_KEY", "WEAVE_PROJECT",
  "WF_TRACE_SERVER_URL", "MEDGPT_HF_DATASETS_URL", "OLLAMA_HOST", "MEDGPT_MODEL", "MEDGPT_PROMPT_FORMATS",
  "MEDGPT_MAX_TOKENS", "MEDGPT_NUM_CTX", "MEDGPT_TOP_P", "MEDGPT_UPSTREAM_TIMEOUT_MS", "MEDGPT_LOG_CASE_TEXT",
  "MEDGPT_EVAL_CONCURRENCY", "MEDGPT_JUDGE_CONCURRENCY",
];

let tmp: string;
let ollama: OllamaStandin;
let weave: WeaveStandin;
let datasetId = "";

const ctx = <P>(p: P) => ({ params: Promise.resolve(p) });

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "medgpt-mirror-route-"));
  ollama = await startOllamaStandin({ recordingsPath: null });
  weave = await startWeaveStandin();
  for (const k of ENV_KEYS) vi.stubEnv(k, "");
  vi.stubEnv("ADMIN_TOKEN", TOKEN);
  vi.stubEnv("MEDGPT_DB_PATH", path.join(tmp, "medgpt.db"));
  vi.stubEnv("OLLAMA_HOST", ollama.url);
  vi.stubEnv("MEDGPT_JUDGE", "none");
  vi.stubEnv("WANDB_API_KEY", "wandb-test-key");
  vi.stubEnv("WEAVE_PROJECT", PROJECT);
  vi.stubEnv("WF_TRACE_SERVER_URL", weave.url);

  const rows = [0, 1].map((i) =>
    JSON.stringify({
      instruction: "Answer.",
      input: `Q:Case ${i}: finding ${i}. Which?? \n{'A': 'alpha ${i}', 'B': 'beta ${i}'},`,
      output: `<analysis>\nx\n</analysis>\n<answer>\nB: beta ${i}\n</answer>`,
    }),
  );
  const res = await importDataset(
    new Request("http://localhost/api/datasets", { method: "POST", headers: { ...AUTH, "content-type": "application/json" }, body: JSON.stringify({ text: rows.join("\n"), name: "mirrored" }) }),
    ctx({}),
  );
  expect(res.status).toBe(201);
  datasetId = ImportResponseSchema.parse(await res.json()).dataset.id;
});
afterAll(async () => {
  await stopAllRuns();
  await Promise.all([ollama.stop(), weave.stop()]);
  vi.unstubAllEnvs();
  rmSync(tmp, { recursive: true, force: true });
});

async function view(id: string): Promise<RunView> {
  const res = await getRun(new Request(`http://localhost/api/runs/${id}`, { headers: AUTH }), ctx({ id }));
  expect(res.status).toBe(200);
  return RunViewSchema.parse(await res.json());
}
/** Polls until the run has finished and its mirror is no longer pending. */
async function settled(id: string): Promise<RunView> {
  for (;;) {
    const v = await view(id);
    if (!["queued", "running"].includes(v.status) && v.mirror.status !== "pending") return v;
    await new Promise((r) => setTimeout(r, 10));
  }
}
const retry = (id: string) => mirror(new Request(`http://localhost/api/runs/${id}/mirror`, { method: "POST", headers: AUTH }), ctx({ id }));

describe("Weave mirroring through the API", () => {
  let runId = "";

  it("a finished run is mirrored in the background: mirror status mirrored with the evaluation's URL", async () => {
    const res = await createRun(
      new Request("http://localhost/api/runs", { method: "POST", headers: { ...AUTH, "content-type": "application/json" }, body: JSON.stringify({ datasetId, models: [MEDGPT] }) }),
      ctx({}),
    );
    expect(res.status).toBe(202);
    const queued = RunViewSchema.parse(await res.json());
    expect(queued.mirror.status).toBe("pending");
    runId = queued.id;

    const v = await settled(runId);
    expect(v.status).toBe("completed");
    expect(v.mirror.status).toBe("mirrored");
    expect(v.mirror.error).toBeNull();
    const evaluate = weave.callsOf("Evaluation.evaluate");
    expect(evaluate).toHaveLength(1);
    expect(v.mirror.url).toBe(`https://wandb.ai/${PROJECT}/r/call/${evaluate[0]!.id}`);
    expect(weave.callsOf("Evaluation.predict_and_score")).toHaveLength(2);
  });

  it("POST mirror after a failed mirror retries it (202): failed with the reason, then mirrored once Weave is back", async () => {
    weave.reset();
    weave.setFault({ kind: "status", status: 401 });
    const res = await retry(runId);
    expect(res.status).toBe(202);
    expect(RunViewSchema.parse(await res.json()).mirror.status).toBe("pending");
    const failed = await settled(runId);
    expect(failed.mirror.status).toBe("failed");
    expect(failed.mirror.error).toMatch(/mrizwank97\/medgpt: .*401/);
    expect(failed.status).toBe("completed"); // the run itself is not affected

    weave.setFault({ kind: "none" });
    weave.reset();
    const again = await retry(runId);
    expect(again.status).toBe(202);
    const ok = await settled(runId);
    expect(ok.mirror).toEqual({ status: "mirrored", error: null, url: `https://wandb.ai/${PROJECT}/r/call/${weave.callsOf("Evaluation.evaluate")[0]!.id}` });
  });

  it("POST mirror on an unknown run → 404", async () => {
    const res = await retry("run_missing");
    expect(res.status).toBe(404);
    expect(ErrorEnvelopeSchema.parse(await res.json()).error.code).toBe("not_found");
  });
});
