/**
 * The limits of POST /api/ask's body, client-safe (no zod): the schemas (ask.ts, options.ts, model-name.ts) enforce
 * them on the server, and the clinician form checks the same numbers in its own words before sending.
 */

/** Characters of the case, after trimming. */
export const CASE_MAX_CHARS = 20000;
/** Characters of one option, after trimming. */
export const OPTION_MAX_CHARS = 2000;
/** Characters of a model name, after trimming. */
export const MODEL_NAME_MAX_CHARS = 200;

/**
 * A model reference as Ollama, vLLM and the registry spell it: `[host/][namespace/]model[:tag]`, e.g.
 * `mrizwank97/medgpt:latest`. The one pattern shared by /api/ask, the run form and the eval API.
 */
export const MODEL_NAME_PATTERN = /^[A-Za-z0-9._:\/-]+$/;
