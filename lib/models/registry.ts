import "server-only";
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { AppError, isAbortError } from "@/lib/errors";
import { downloadBlob, fetchFollowing, InterruptedDownloadError, networkError, OFFLINE_FIX } from "./download";
import { getPullState, setPullState, updatePullState } from "./pull-state";
import { DEFAULT_REGISTRY_HOST, formatModelRef, ModelRefError, parseModelRef, type ModelRef } from "./ref";

/**
 * Pulls a model's GGUF from an Ollama registry without Ollama (see ../shared/notes/integrations.md):
 * manifest → the `application/vnd.ollama.image.model` layer → its blob (307 to a CDN), resumable and
 * verified. The cache (default ./data/models) holds `blobs/sha256-<hex>` and an index
 * `manifests/<namespace>/<model>/<tag>.json`, so a model already pulled resolves without network.
 */

export { parseModelRef, formatModelRef, type ModelRef } from "./ref";
export { getPullState, type PullState, type PullStatus } from "./pull-state";

export const DEFAULT_REGISTRY_URL = `https://${DEFAULT_REGISTRY_HOST}`;
export const DEFAULT_CACHE_DIR = "./data/models";
export const MANIFEST_ACCEPT = "application/vnd.docker.distribution.manifest.v2+json";
export const MODEL_LAYER = "application/vnd.ollama.image.model";

export type PullOptions = {
  /** Default: https://<host of the name>, i.e. https://registry.ollama.ai. */
  registryBaseUrl?: string;
  /** Default ./data/models (relative to the working directory). */
  cacheDir?: string;
  fetchImpl?: typeof fetch;
  signal?: AbortSignal;
  onProgress?: (received: number, total: number) => void;
  /** Extra attempts, each resuming, after an interrupted transfer. Default 3. */
  retries?: number;
  /** Fetch the manifest even when the index has the model (to pick up a moved tag). */
  refresh?: boolean;
};

const Digest = z.string().regex(/^sha256:[0-9a-f]{64}$/);
const Layer = z.object({ mediaType: z.string(), digest: Digest, size: z.number().int().nonnegative() });
const ManifestSchema = z.object({ schemaVersion: z.literal(2), layers: z.array(Layer) });

const IndexSchema = z.object({
  name: z.string(),
  registry: z.string(),
  digest: Digest,
  size: z.number().int(),
  /** The blob's file name under blobs/. */
  blob: z.string(),
  pulledAt: z.string(),
});
type IndexEntry = z.infer<typeof IndexSchema>;

const blobFile = (digest: string) => `sha256-${digest.slice("sha256:".length)}`;
const indexPath = (cacheDir: string, ref: ModelRef) =>
  path.join(cacheDir, "manifests", ref.namespace, ref.model, `${ref.tag}.json`);

function toRef(name: string): ModelRef {
  try {
    return parseModelRef(name);
  } catch (err) {
    if (err instanceof ModelRefError)
      throw new AppError("invalid_request", err.message, { fix: "Use a name like mrizwank97/medgpt:latest." });
    throw err;
  }
}

/** The verified file of an already pulled model, or null. Never touches the network. */
export async function findPulledModel(name: string, cacheDir: string = DEFAULT_CACHE_DIR): Promise<string | null> {
  const ref = toRef(name);
  let entry: IndexEntry;
  try {
    entry = IndexSchema.parse(JSON.parse(await readFile(indexPath(cacheDir, ref), "utf8")));
  } catch {
    return null;
  }
  if (entry.name !== formatModelRef(ref)) return null;
  const file = path.join(cacheDir, "blobs", entry.blob);
  const size = await stat(file).then(
    (s) => s.size,
    () => -1,
  );
  return size === entry.size ? path.resolve(file) : null;
}

async function fetchModelLayer(base: string, ref: ModelRef, fetchImpl: typeof fetch, signal?: AbortSignal) {
  const url = `${base}/v2/${ref.namespace}/${ref.model}/manifests/${ref.tag}`;
  let res: Response;
  try {
    res = await fetchFollowing(url, { headers: { Accept: MANIFEST_ACCEPT }, signal }, fetchImpl);
  } catch (err) {
    if (err instanceof AppError || isAbortError(err)) throw err;
    throw networkError(`the model registry at ${base}`, err);
  }
  const name = formatModelRef(ref);
  if (res.status === 404) {
    await res.body?.cancel();
    throw new AppError("model_not_found", `Model '${name}' was not found in the registry at ${base}.`, {
      fix: `Check the name (e.g. mrizwank97/medgpt), or set MEDGPT_GGUF=/path/model.gguf.`,
    });
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new AppError("upstream_error", `The registry at ${base} answered HTTP ${res.status} for '${name}'.`);
  }
  const parsed = ManifestSchema.safeParse(await res.json().catch(() => null));
  if (!parsed.success) throw new AppError("upstream_error", `The registry sent an unreadable manifest for '${name}'.`);
  const layer = parsed.data.layers.find((l) => l.mediaType === MODEL_LAYER);
  if (!layer) throw new AppError("upstream_error", `The manifest of '${name}' has no model (GGUF) layer.`);
  return layer;
}

/** Pulls in progress, on globalThis so that a Next dev reload does not start a second download. */
const inFlight = ((globalThis as typeof globalThis & { __medgptPulls?: Map<string, Promise<string>> }).__medgptPulls ??=
  new Map<string, Promise<string>>());

/**
 * Returns the path of the model's verified GGUF, downloading it first unless the cache has it.
 * Concurrent calls for the same model share one download. Throws AppError.
 */
export async function pullModel(name: string, opts: PullOptions = {}): Promise<string> {
  const ref = toRef(name);
  const cacheDir = path.resolve(opts.cacheDir ?? DEFAULT_CACHE_DIR);
  const key = `${cacheDir}|${formatModelRef(ref)}`;
  let pending = inFlight.get(key);
  if (!pending) {
    pending = pull(ref, cacheDir, opts).finally(() => inFlight.delete(key));
    inFlight.set(key, pending);
  }
  return pending;
}

async function pull(ref: ModelRef, cacheDir: string, opts: PullOptions): Promise<string> {
  const name = formatModelRef(ref);
  const base = (opts.registryBaseUrl ?? `https://${ref.host}`).replace(/\/+$/, "");
  const fetchImpl = opts.fetchImpl ?? fetch;
  setPullState({ model: name, receivedBytes: 0, totalBytes: null, status: "verifying" });
  try {
    const cached = opts.refresh ? null : await findPulledModel(name, cacheDir);
    if (cached) {
      const { size } = await stat(cached);
      setPullState({ model: name, receivedBytes: size, totalBytes: size, status: "done", path: cached });
      return cached;
    }
    const layer = await fetchModelLayer(base, ref, fetchImpl, opts.signal);
    const blobs = path.join(cacheDir, "blobs");
    await mkdir(blobs, { recursive: true });
    const dest = path.join(blobs, blobFile(layer.digest));
    updatePullState({ totalBytes: layer.size, status: "downloading" });
    const already = await stat(dest).then(
      (s) => s.size === layer.size,
      () => false,
    );
    if (!already) {
      for (let attempt = 0; ; attempt++) {
        try {
          await downloadBlob({
            url: `${base}/v2/${ref.namespace}/${ref.model}/blobs/${layer.digest}`,
            dest,
            digest: layer.digest,
            size: layer.size,
            fetchImpl,
            signal: opts.signal,
            onVerifying: () => updatePullState({ status: "verifying" }),
            onProgress: (received, total) => {
              updatePullState({ receivedBytes: received, status: "downloading" });
              opts.onProgress?.(received, total);
            },
          });
          break;
        } catch (err) {
          if (!(err instanceof InterruptedDownloadError) || attempt >= (opts.retries ?? 3) || opts.signal?.aborted)
            throw err;
        }
      }
    }
    await writeIndex(cacheDir, ref, {
      name,
      registry: base,
      digest: layer.digest,
      size: layer.size,
      blob: path.basename(dest),
      pulledAt: new Date().toISOString(),
    });
    setPullState({ model: name, receivedBytes: layer.size, totalBytes: layer.size, status: "done", path: dest });
    return dest;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    setPullState({ ...getPullState(), status: "failed", error: message });
    throw err;
  }
}

async function writeIndex(cacheDir: string, ref: ModelRef, entry: IndexEntry): Promise<void> {
  const file = indexPath(cacheDir, ref);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(`${file}.tmp`, `${JSON.stringify(entry, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
}

export { OFFLINE_FIX };
