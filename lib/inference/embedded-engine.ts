import "server-only";
import { open, stat } from "node:fs/promises";
import os from "node:os";
import type { Llama, LlamaContext, LlamaContextSequence, LlamaModel } from "node-llama-cpp";
import { AppError } from "@/lib/errors";
import { SlotQueue } from "@/lib/async/slot-queue";

/**
 * The process-wide node-llama-cpp state: one Llama binding per GPU mode, one loaded model per file, one
 * context (with a pool of sequences and a FIFO slot queue) per context shape. It lives on globalThis so that
 * Next dev's module reloads reuse the loaded model instead of loading another copy. node-llama-cpp is
 * ESM-only and native: it is imported dynamically, on first use.
 */

export type EngineOptions = {
  modelPath: string;
  gpu: "auto" | false;
  contextSize: number;
  sequences: number;
  queueLimit: number;
  /** CPU threads for evaluation; undefined = min(availableParallelism, math cores). */
  threads: number | undefined;
};

export type Engine = {
  llamaCpp: typeof import("node-llama-cpp");
  llama: Llama;
  model: LlamaModel;
  context: LlamaContext;
  loadMs: number;
  takeSequence(): LlamaContextSequence;
  returnSequence(sequence: LlamaContextSequence): void;
};

type State = {
  llamas: Map<string, Promise<{ llamaCpp: typeof import("node-llama-cpp"); llama: Llama }>>;
  models: Map<string, Promise<LlamaModel>>;
  engines: Map<string, Promise<Engine>>;
  slots: Map<string, SlotQueue>;
  /** The last load failure per model file (and the file's mtime then), for health. */
  loadErrors: Map<string, { error: AppError; mtimeMs: number }>;
};

const holder = globalThis as typeof globalThis & { __medgptEmbeddedEngine?: State };
const state = (): State =>
  (holder.__medgptEmbeddedEngine ??= {
    llamas: new Map(),
    models: new Map(),
    engines: new Map(),
    slots: new Map(),
    loadErrors: new Map(),
  });

const modelKey = (o: EngineOptions) => `${String(o.gpu)}|${o.modelPath}`;
const engineKey = (o: EngineOptions) =>
  `${modelKey(o)}|ctx=${o.contextSize}|seq=${o.sequences}|threads=${o.threads ?? "auto"}`;

export const PULL_HINT =
  "Set MEDGPT_GGUF=/path/to/model.gguf, or download it with `npm run model:pull -- mrizwank97/medgpt`.";

/** The FIFO slot queue of this context shape; exists before (and without) loading the model. */
export function slotsFor(o: EngineOptions): SlotQueue {
  const s = state();
  const key = engineKey(o);
  let slots = s.slots.get(key);
  if (!slots) s.slots.set(key, (slots = new SlotQueue(o.sequences, o.queueLimit)));
  return slots;
}

/** Why the file failed to load, unless it changed since. */
export function lastLoadError(modelPath: string, mtimeMs: number): AppError | undefined {
  const failed = state().loadErrors.get(modelPath);
  return failed && failed.mtimeMs === mtimeMs ? failed.error : undefined;
}

/** The loaded engine for these options, if loading already finished. */
export async function peekEngine(o: EngineOptions): Promise<Engine | undefined> {
  const pending = state().engines.get(engineKey(o));
  return pending ? pending.catch(() => undefined) : undefined;
}

/** Rejects unless the file exists and starts with the GGUF magic. */
export async function checkModelFile(modelPath: string): Promise<{ sizeBytes: number; mtimeMs: number }> {
  let size: number;
  let mtimeMs: number;
  try {
    const st = await stat(modelPath);
    if (!st.isFile()) throw Object.assign(new Error("not a file"), { code: "ENOTFILE" });
    size = st.size;
    mtimeMs = st.mtimeMs;
  } catch (err) {
    throw new AppError(
      "model_not_found",
      `No GGUF model file at ${modelPath} (MEDGPT_GGUF or the pulled-model cache).`,
      {
        fix: PULL_HINT,
        cause: err,
      },
    );
  }
  const handle = await open(modelPath, "r");
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4), 0, 4, 0);
    if (bytesRead < 4 || buffer.toString("latin1") !== "GGUF") {
      throw corruptModel(modelPath, new Error(`Invalid GGUF magic: the file does not start with "GGUF"`));
    }
  } finally {
    await handle.close();
  }
  return { sizeBytes: size, mtimeMs };
}

function corruptModel(modelPath: string, cause: unknown): AppError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new AppError("upstream_error", `The model file ${modelPath} could not be loaded: ${why}`, {
    fix: `It is not a valid GGUF model (a corrupt or incomplete download?). ${PULL_HINT}`,
    cause,
  });
}

function mapLoadError(o: EngineOptions, err: unknown): AppError {
  if (err instanceof AppError) return err;
  const name = err instanceof Error ? err.name : "";
  if (name === "NoBinaryFoundError") {
    return new AppError("upstream_unavailable", "node-llama-cpp has no usable prebuilt binary for this platform.", {
      fix: "Use Ollama instead (OLLAMA_HOST), or build node-llama-cpp: `npx --no node-llama-cpp source download`.",
      cause: err,
    });
  }
  if (name === "InsufficientMemoryError") {
    return new AppError(
      "upstream_error",
      `Not enough memory to load ${o.modelPath} with a ${o.contextSize}-token context.`,
      {
        fix: "Lower MEDGPT_EMBEDDED_CONTEXT or MEDGPT_EMBEDDED_SEQUENCES, or use a smaller quantization.",
        cause: err,
      },
    );
  }
  // The engine itself (not the model file) failed to load: a broken install or a server bundle missing files.
  const message = err instanceof Error ? err.message : String(err);
  if (/Failed to load external module|Cannot find (module|package)|ERR_MODULE_NOT_FOUND|node_modules\//.test(message)) {
    return new AppError(
      "upstream_unavailable",
      `The embedded engine (node-llama-cpp) could not be loaded: ${message}`,
      {
        fix: "Reinstall with `npm ci` and rebuild with `npm run build`, or use Ollama instead (OLLAMA_HOST).",
        cause: err,
      },
    );
  }
  return corruptModel(o.modelPath, err);
}

async function loadLlama(gpu: "auto" | false) {
  const s = state();
  const key = String(gpu);
  let pending = s.llamas.get(key);
  if (!pending) {
    pending = (async () => {
      const llamaCpp = await import("node-llama-cpp");
      // build: "never": never download or compile llama.cpp at run time; use the prebuilt binaries.
      const llama = await llamaCpp.getLlama({ gpu, build: "never", logLevel: llamaCpp.LlamaLogLevel.error });
      return { llamaCpp, llama };
    })();
    s.llamas.set(key, pending);
    pending.catch(() => s.llamas.get(key) === pending && s.llamas.delete(key));
  }
  return pending;
}

async function loadModel(o: EngineOptions): Promise<LlamaModel> {
  const s = state();
  const key = modelKey(o);
  let pending = s.models.get(key);
  if (!pending) {
    pending = (async () => {
      await checkModelFile(o.modelPath);
      const { llama } = await loadLlama(o.gpu);
      return llama.loadModel({ modelPath: o.modelPath, ...(o.gpu === false && { gpuLayers: 0 }) });
    })();
    s.models.set(key, pending);
    // A failed load is forgotten so that the next request (after the file is fixed) tries again.
    pending.catch(() => s.models.get(key) === pending && s.models.delete(key));
  }
  return pending;
}

/** Loads (once per process) the model and the context for these options. Throws AppError. */
export function getEngine(o: EngineOptions): Promise<Engine> {
  const s = state();
  const key = engineKey(o);
  let pending = s.engines.get(key);
  if (!pending) {
    pending = (async () => {
      const started = performance.now();
      try {
        const model = await loadModel(o);
        const { llamaCpp, llama } = await loadLlama(o.gpu);
        const threads = o.threads ?? Math.max(1, Math.min(os.availableParallelism(), llama.cpuMathCores));
        const context = await model.createContext({ contextSize: o.contextSize, sequences: o.sequences, threads });
        const free: LlamaContextSequence[] = [];
        s.loadErrors.delete(o.modelPath);
        return {
          llamaCpp,
          llama,
          model,
          context,
          loadMs: performance.now() - started,
          takeSequence: () => free.pop() ?? context.getSequence(),
          returnSequence: (sequence) => {
            if (!sequence.disposed) free.push(sequence);
          },
        } satisfies Engine;
      } catch (err) {
        const mapped = mapLoadError(o, err);
        const mtimeMs = await stat(o.modelPath).then(
          (st) => st.mtimeMs,
          () => -1,
        );
        s.loadErrors.set(o.modelPath, { error: mapped, mtimeMs });
        throw mapped;
      }
    })();
    s.engines.set(key, pending);
    pending.catch(() => s.engines.get(key) === pending && s.engines.delete(key));
  }
  return pending;
}

/** Frees every loaded context and model (tests, shutdown). Later requests load again. */
export async function disposeEmbeddedEngines(): Promise<void> {
  const s = state();
  const engines = [...s.engines.values()];
  const models = [...s.models.values()];
  s.engines.clear();
  s.models.clear();
  s.slots.clear();
  s.loadErrors.clear();
  for (const e of engines) await e.then((x) => x.context.dispose()).catch(() => undefined);
  for (const m of models) await m.then((x) => x.dispose()).catch(() => undefined);
}
