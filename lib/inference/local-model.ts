import "server-only";
import type { AppConfig } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { getPullState } from "@/lib/models/registry";
import { resolveEmbeddedModelPath, startBackgroundPull } from "@/lib/models/resolve";
import { EmbeddedBackend } from "./embedded";
import type { BackendHealth, GenerateEvent, GenerateRequest, InferenceBackend, ModelInfo } from "./types";

const MB = 1024 * 1024;
/** After a failed download, wait this long before trying again (every health poll would otherwise retry). */
const PULL_RETRY_MS = 60_000;

/**
 * The embedded engine, with its GGUF found lazily: MEDGPT_GGUF, else a model already pulled into the cache,
 * else (MEDGPT_AUTO_PULL) a background pull of MEDGPT_MODEL from the Ollama registry. Until a file is there,
 * requests fail with a message that says what is happening and how to get a model.
 */
export class LocalModelBackend implements InferenceBackend {
  readonly name = "embedded";
  private engine: EmbeddedBackend | null = null;
  private pullStartedAt = 0;

  constructor(private readonly config: AppConfig) {}

  private source() {
    const e = this.config.embedded;
    return { gguf: e.gguf, modelName: this.config.defaultModel, modelsDir: e.modelsDir, registryUrl: e.registryUrl };
  }

  /** The engine when a model file is available; otherwise starts a pull (once) and returns null. */
  private async ready(): Promise<EmbeddedBackend | null> {
    if (this.engine) return this.engine;
    const resolved = await resolveEmbeddedModelPath(this.source());
    const pulled = getPullState();
    const path = resolved?.path ?? (pulled.status === "done" ? pulled.path : undefined);
    if (path) {
      const e = this.config.embedded;
      this.engine = new EmbeddedBackend({
        modelPath: path,
        modelName: this.config.defaultModel,
        gpu: e.gpu,
        contextSize: e.contextSize,
        sequences: e.sequences,
        queueLimit: e.queueLimit,
        ...(e.threads !== undefined && { threads: e.threads }),
      });
      return this.engine;
    }
    const busy = pulled.status === "downloading" || pulled.status === "verifying";
    const recentlyFailed = pulled.status === "failed" && Date.now() - this.pullStartedAt < PULL_RETRY_MS;
    if (this.config.embedded.autoPull && !busy && !recentlyFailed) {
      this.pullStartedAt = Date.now();
      startBackgroundPull(this.source());
    }
    return null;
  }

  /** Why there is no model yet, and the ways out. */
  private unavailable(): AppError {
    const p = getPullState();
    const model = this.config.defaultModel;
    const ways = `Start Ollama (\`ollama serve\`, then \`ollama pull ${model}\`), set MEDGPT_GGUF=/path/to/model.gguf, or run \`npm run model:pull -- ${model}\` where there is internet access.`;
    if (p.status === "downloading" || p.status === "verifying") {
      const pct = p.totalBytes ? ` ${Math.floor((p.receivedBytes / p.totalBytes) * 100)}%` : "";
      return new AppError(
        "upstream_unavailable",
        `No model server yet: downloading ${p.model ?? model} for the embedded engine (${p.status}${pct}, ${Math.round(p.receivedBytes / MB)} MB).`,
        {
          fix: "Wait for the download to finish (progress on this page and at /api/health), or start Ollama.",
        },
      );
    }
    const why =
      p.status === "failed"
        ? `the download of ${model} failed: ${p.error?.replace(/\.$/, "")}`
        : this.config.embedded.autoPull
          ? "no GGUF file is available yet"
          : `no GGUF file is available (MEDGPT_AUTO_PULL is off)`;
    return new AppError("upstream_unavailable", `No model server: Ollama is not reachable and ${why}.`, { fix: ways });
  }

  async *generate(request: GenerateRequest, signal: AbortSignal): AsyncGenerator<GenerateEvent, void, undefined> {
    const engine = await this.ready();
    if (!engine) throw this.unavailable();
    yield* engine.generate(request, signal);
  }

  async listModels(): Promise<ModelInfo[]> {
    const engine = await this.ready();
    return engine ? engine.listModels() : [];
  }

  async hasModel(model: string): Promise<boolean> {
    const engine = await this.ready();
    return engine ? engine.hasModel(model) : false;
  }

  async health(): Promise<BackendHealth> {
    const engine = await this.ready();
    if (engine) return engine.health();
    return { backend: this.name, reachable: false, version: null, detail: this.unavailable().message };
  }
}
