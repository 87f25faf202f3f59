import "server-only";
import { getConfig } from "@/lib/config";
import { createBackend } from "./select";
import type { InferenceBackend } from "./types";

export type { InferenceBackend } from "./types";

/** The process's inference backend, chosen from config once (kept on globalThis across dev reloads). */
export function getBackend(): InferenceBackend {
  const g = globalThis as unknown as { __medgptBackend?: InferenceBackend };
  g.__medgptBackend ??= createBackend(getConfig());
  return g.__medgptBackend;
}
