/** Checks every InferenceBackend must pass the same way, against a stand-in that can go down. */
import { expect } from "vitest";
import { AppError } from "@/lib/errors";
import type { InferenceBackend } from "@/lib/inference/types";
import { rejection } from "./async";

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
