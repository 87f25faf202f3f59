import "server-only";
import type { BackendHealth, GenerateEvent, GenerateRequest, InferenceBackend, ModelInfo } from "./types";

/** How long a reachability verdict about Ollama is trusted before asking again. */
const PROBE_TTL_MS = 5000;

/**
 * MEDGPT_BACKEND=auto: Ollama when it answers, otherwise the embedded engine. Decided per request from a
 * short-lived probe, so starting or stopping Ollama takes effect within seconds without a restart.
 */
export class AutoBackend implements InferenceBackend {
  private current: InferenceBackend;
  private probedAt = 0;

  constructor(
    private readonly ollama: InferenceBackend,
    private readonly local: InferenceBackend,
  ) {
    this.current = ollama;
  }

  /** The backend that served (or will serve) the latest request. */
  get name(): string {
    return this.current.name;
  }

  private async choose(signal?: AbortSignal): Promise<InferenceBackend> {
    if (Date.now() - this.probedAt > PROBE_TTL_MS) {
      const h = await this.ollama.health(signal);
      this.current = h.reachable ? this.ollama : this.local;
      this.probedAt = Date.now();
    }
    return this.current;
  }

  async *generate(request: GenerateRequest, signal: AbortSignal): AsyncGenerator<GenerateEvent, void, undefined> {
    const backend = await this.choose(signal);
    yield* backend.generate(request, signal);
  }

  async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    return (await this.choose(signal)).listModels(signal);
  }

  async hasModel(model: string, signal?: AbortSignal): Promise<boolean> {
    return (await this.choose(signal)).hasModel(model, signal);
  }

  async health(signal?: AbortSignal): Promise<BackendHealth> {
    this.probedAt = 0; // health is the place to notice a change at once
    return (await this.choose(signal)).health(signal);
  }
}
