/**
 * Ollama model names: `[host/][namespace/]model[:tag]`, e.g. `mrizwank97/medgpt:latest`. Without a host the
 * registry is registry.ollama.ai; without a namespace it is `library`; without a tag it is `latest`.
 * Isomorphic (no imports): the browser uses it to match model names too.
 */

export const DEFAULT_REGISTRY_HOST = "registry.ollama.ai";

export type ModelRef = { host: string; namespace: string; model: string; tag: string };

const PART = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export class ModelRefError extends Error {
  override name = "ModelRefError";
}

/** A first segment with a dot, a port or `localhost` is a host, as in Docker and Ollama names. */
const looksLikeHost = (s: string) => s.includes(".") || s.includes(":") || s === "localhost";

export function parseModelRef(name: string): ModelRef {
  const bad = (why: string) => new ModelRefError(`invalid model name ${JSON.stringify(name)}: ${why}`);
  let rest = name.trim().replace(/^https?:\/\//, "");
  if (rest === "") throw bad("it is empty");
  if (rest.includes("@")) throw bad("digests (@sha256:…) are not supported; use a tag");
  const parts = rest.split("/");
  let host = DEFAULT_REGISTRY_HOST;
  if (parts.length > 1 && looksLikeHost(parts[0]!)) host = parts.shift()!.toLowerCase();
  if (parts.length > 2) throw bad("expected [host/][namespace/]model[:tag]");
  rest = parts.pop()!;
  const namespace = parts.pop() ?? "library";
  const colon = rest.lastIndexOf(":");
  const model = colon === -1 ? rest : rest.slice(0, colon);
  const tag = colon === -1 ? "latest" : rest.slice(colon + 1);
  if (!PART.test(namespace)) throw bad(`bad namespace ${JSON.stringify(namespace)}`);
  if (!PART.test(model)) throw bad(`bad model ${JSON.stringify(model)}`);
  if (!TAG.test(tag)) throw bad(`bad tag ${JSON.stringify(tag)}`);
  return { host, namespace, model, tag };
}

/** `namespace/model:tag` (the host too when it is not the default registry). */
export function formatModelRef(ref: ModelRef): string {
  const short = `${ref.namespace}/${ref.model}:${ref.tag}`;
  return ref.host === DEFAULT_REGISTRY_HOST ? short : `${ref.host}/${short}`;
}

const LATEST = ":latest";

/** `x:latest` → `x`; any other name as it is. Ollama lists a model pulled as `x` under `x:latest`. */
export function withoutLatestTag(name: string): string {
  return name.endsWith(LATEST) ? name.slice(0, -LATEST.length) : name;
}

/** Whether two names are the same model, as Ollama treats them: `x` and `x:latest` are one model. */
export function sameModel(a: string, b: string): boolean {
  return withoutLatestTag(a) === withoutLatestTag(b);
}
