import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

/** ../shared beside the project root: data and the tiny model that CI also has. Never copied into the repo. */
export const SHARED_DIR = path.resolve(fileURLToPath(new URL("../../shared", import.meta.url)));
export const sharedPath = (...parts: string[]) => path.join(SHARED_DIR, ...parts);
export const hasShared = existsSync(path.join(SHARED_DIR, "data", "medical-reasoning-test93.jsonl"));
/** Printed by tests that skip because ../shared is absent, so the skip is never silent. */
export const SHARED_SKIP_REASON = `../shared not found at ${SHARED_DIR}; skipping tests that need the recorded data`;
if (!hasShared) console.warn(SHARED_SKIP_REASON);
