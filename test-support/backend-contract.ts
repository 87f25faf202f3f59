/** Checks every InferenceBackend must pass the same way, against a stand-in that can go down. */
import { expect } from "vitest";
import { AppError } from "@/lib/errors";
import type { GenerateRequest, InferenceBackend } from "@/lib/inference/types";
import { collect, rejection } from "./async";
import { generateAll, raw } from "./generate-requests";

/** With the server gone: health says unreachable, naming where it looked; listing and lookups fail as upstream_unavailable. */
export async function expectDownBehaviour(
  backend: InferenceBackend,
  goDown: () => Promise<void>,
  where: string,
  model: string,
) {
  await goDown();
  const down = await backend.health();
  expect(down).toMatchObject({ backend: backend.name, reachable: false, version: null });
  expect(down.detail).toContain(where);
  expect(((await rejection(backend.listModels())) as AppError).code).toBe("upstream_unavailable");
  expect(((await rejection(backend.hasModel(model))) as AppError).code).toBe("upstream_unavailable");
}

/**
 * Aborting one generation (raw(), aborted after 60 ms of a 10 ms-per-token reply) leaves `second`, started at the
 * same time, to finish; the stand-in counts one aborted and one completed.
 */
export async function expectAbortIsolated(
  backend: InferenceBackend,
  standin: { setTokenDelay(ms: number): void; readonly stats: object },
  second: GenerateRequest,
) {
  standin.setTokenDelay(10);
  const a = new AbortController();
  const first = collect(backend.generate(raw(), a.signal)).catch((e: unknown) => e);
  const secondRun = generateAll(backend, second);
  setTimeout(() => a.abort(), 60);
  const [firstResult, secondResult] = await Promise.all([first, secondRun]);
  expect((firstResult as Error).name).toBe("AbortError");
  expect(secondResult.at(-1)).toMatchObject({ type: "done", stats: { doneReason: "stop" } });
  expect(standin.stats).toMatchObject({ aborted: 1, completed: 1 });
}
