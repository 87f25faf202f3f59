import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RunViewSchema, type RunView } from "@/eval/api/schemas";
import { expectError } from "@/test-support/api";
import { importDataset, mirror, startRun, startRunServer, waitForRun, type RunServer } from "@/test-support/api-client";
import { mrRow } from "@/test-support/mr-dataset";
import { startWeaveStandin, type WeaveStandin } from "@/test-support/weave-standin";
import { MEDGPT } from "@/test-support/ollama-models";

/**
 * With Weave configured (WANDB_API_KEY, WEAVE_PROJECT, WF_TRACE_SERVER_URL = the Weave stand-in): a finished run is
 * mirrored in the background, and POST /api/runs/{id}/mirror retries it.
 */

const PROJECT = "medgpt-team/medgpt-evals";

let server: RunServer;
let weave: WeaveStandin;
let datasetId = "";

beforeAll(async () => {
  weave = await startWeaveStandin();
  server = await startRunServer("medgpt-mirror-route-", {
    env: { WANDB_API_KEY: "wandb-test-key", WEAVE_PROJECT: PROJECT, WF_TRACE_SERVER_URL: weave.url },
  });

  const rows = [0, 1].map((i) =>
    mrRow(`Case ${i}: finding ${i}. Which?`, { A: `alpha ${i}`, B: `beta ${i}` }, "B", "x", "Answer."),
  );
  datasetId = (await importDataset(rows.join("\n"), "mirrored")).dataset.id;
});
afterAll(async () => {
  await server.stop();
  await weave.stop();
});

/** Polls until the run has finished and its mirror is no longer pending. */
const settled = (id: string): Promise<RunView> =>
  waitForRun(id, (v) => !["queued", "running"].includes(v.status) && v.mirror.status !== "pending");

describe("Weave mirroring through the API", () => {
  let runId = "";

  it("a finished run is mirrored in the background: mirror status mirrored with the evaluation's URL", async () => {
    const queued = await startRun({ datasetId, models: [MEDGPT] });
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
    const res = await mirror(runId);
    expect(res.status).toBe(202);
    expect(RunViewSchema.parse(await res.json()).mirror.status).toBe("pending");
    const failed = await settled(runId);
    expect(failed.mirror.status).toBe("failed");
    expect(failed.mirror.error).toMatch(/mrizwank97\/medgpt: .*401/);
    expect(failed.status).toBe("completed"); // the run itself is not affected

    weave.setFault({ kind: "none" });
    weave.reset();
    const again = await mirror(runId);
    expect(again.status).toBe(202);
    const ok = await settled(runId);
    expect(ok.mirror).toEqual({
      status: "mirrored",
      error: null,
      url: `https://wandb.ai/${PROJECT}/r/call/${weave.callsOf("Evaluation.evaluate")[0]!.id}`,
    });
  });

  it("POST mirror on an unknown run → 404", async () => {
    await expectError(await mirror("run_missing"), 404, "not_found");
  });
});
