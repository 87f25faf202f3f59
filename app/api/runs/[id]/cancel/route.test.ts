import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { RunViewSchema } from "@/eval/api/schemas";
import { resumeUnfinishedRuns, stopAllRuns } from "@/eval/runner/jobs";
import { expectError } from "@/test-support/api";
import {
  cancel,
  importDataset,
  mirror,
  page,
  startRun,
  startRunServer,
  viewRun,
  waitForRun,
  type RunServer,
} from "@/test-support/api-client";
import { mrRow } from "@/test-support/mr-dataset";
import type { OllamaStandin } from "@/test-support/ollama-standin";
import { MEDGPT } from "@/test-support/ollama-models";

/** POST /api/runs/{id}/cancel against a run that is really going (the stand-in streams slowly). */

const ITEMS = 30;
/** One generation at a time, so that when a result has been recorded the next generation has just begun streaming. */
const CONCURRENCY = 1;

let server: RunServer;
let standin: OllamaStandin;
let datasetId = "";

beforeAll(async () => {
  server = await startRunServer("medgpt-cancel-");
  standin = server.ollama;

  // 30 medical-reasoning rows; the stand-in has no recording of any, so each reply is its made-up one (option B).
  const rows = Array.from({ length: ITEMS }, (_, i) =>
    mrRow(
      `Case ${i}: a ${20 + i}-year-old patient has finding number ${i}. Which is most likely?`,
      { A: `alpha ${i}`, B: `beta ${i}`, C: `gamma ${i}` },
      "B",
      `reasoning ${i}`,
      "Please answer with one of the option in the bracket.",
    ),
  );
  datasetId = (await importDataset(rows.join("\n"), "thirty")).dataset.id;
});
afterAll(() => server.stop());
beforeEach(() => standin.restore());

const generateRequests = () =>
  standin.requests.filter((r) => r.path === "/api/generate" || r.path === "/api/chat").length;

describe("POST /api/runs/{id}/cancel", () => {
  it("stops a running run: status cancelled, fewer results than items, in-flight generations abandoned", async () => {
    standin.setTokenDelay(10); // each reply streams for a while
    const queued = await startRun({ datasetId, models: [MEDGPT], concurrency: CONCURRENCY });
    expect(queued.total).toBe(ITEMS);
    // Wait until a result is recorded and the next item's generation is streaming (it has many tokens to go).
    const running = await waitForRun(
      queued.id,
      (v) => v.done >= 1 && standin.stats.active === 1 && generateRequests() === v.done + 1,
    );
    expect(running.status).toBe("running");

    // While it runs, a mirror retry is refused as a conflict.
    await expectError(await mirror(queued.id), 409, "conflict");

    const res = await cancel(queued.id);
    expect(res.status).toBe(200);
    expect(RunViewSchema.parse(await res.json()).status).toBe("cancelled");

    await stopAllRuns(); // waits for the background executor to wind down
    const after = await viewRun(queued.id);
    expect(after.status).toBe("cancelled");
    expect(after.finishedAt).not.toBeNull();
    expect(after.done).toBeGreaterThanOrEqual(1);
    expect(after.done).toBeLessThan(ITEMS);
    expect(after.errors).toBe(0); // abandoned generations are not recorded as errors
    expect(after.summary![0]).toMatchObject({ completed: after.done, errors: 0 });

    expect((await page(queued.id, "pageSize=200")).totalRows).toBe(after.done);

    // The in-flight generations were abandoned (the model server sees the client go away), not run to the end,
    // and at most those were sent beyond what was recorded.
    while (standin.stats.active > 0) await new Promise((r) => setTimeout(r, 5));
    expect(standin.stats.aborted).toBe(1);
    expect(standin.stats.completed).toBe(after.done);
    expect(generateRequests()).toBe(after.done + 1);
    const sent = generateRequests();

    // Cancelling again is idempotent: same state, same results.
    const again = await cancel(queued.id);
    expect(again.status).toBe(200);
    const againView = RunViewSchema.parse(await again.json());
    expect(againView).toMatchObject({ status: "cancelled", done: after.done, finishedAt: after.finishedAt });
    expect(generateRequests()).toBe(sent);

    // A cancelled run is not picked up again at the next server start.
    expect(resumeUnfinishedRuns()).toBe(0);
    expect((await viewRun(queued.id)).status).toBe("cancelled");
  });

  it("leaves a finished run as it is", async () => {
    const queued = await startRun({ datasetId, models: [MEDGPT], limit: 2 });
    const done = await waitForRun(queued.id, (v) => v.status !== "queued" && v.status !== "running");
    expect(done.status).toBe("completed");
    const res = await cancel(queued.id);
    expect(res.status).toBe(200);
    expect(RunViewSchema.parse(await res.json())).toMatchObject({
      status: "completed",
      done: 2,
      finishedAt: done.finishedAt,
    });
    expect((await viewRun(queued.id)).status).toBe("completed");
  });

  it("an unknown run → 404", async () => {
    await expectError(await cancel("run_does_not_exist"), 404, "not_found");
  });
});
