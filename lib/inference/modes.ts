import { z } from "zod";

/**
 * The inference backends MEDGPT_BACKEND can choose, declared once: the config parser, the health response and
 * the backend factory (lib/inference/select.ts, which must cover every mode) all derive from this list.
 * auto: Ollama when reachable, otherwise the embedded engine.
 */
export const BACKEND_MODES = ["auto", "ollama", "embedded", "openai"] as const;
export const BackendModeSchema = z.enum(BACKEND_MODES, { error: `must be one of ${BACKEND_MODES.join(", ")}` });
export type BackendMode = z.infer<typeof BackendModeSchema>;
