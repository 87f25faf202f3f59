import "server-only";
import type { BackendHealth, GenerateEvent, GenerateRequest, InferenceBackend, ModelInfo } from "./types";

/** How long a reachability verdict about Ollama is trusted before asking again. */
const PROBE_TTL_MS = 5000;
/** Bound on one reachability probe. */
const PROBE_TIMEOUT_MS = 5000;

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

  /**
   * The backend the latest probe chose. Shared by concurrent requests, so it says nothing reliable about which
   * backend served a given request: that is the `backend` of the request's `done` stats.
   */
  get name(): string {
    return this.current.name;
  }

  /**
   * The probe runs on its own timeout, never on the caller's signal: a caller that aborts (Stop, a disconnect)
   * would otherwise make Ollama look unreachable and switch every request to the embedded engine. A probe whose
   * caller aborted meanwhile is not trusted either way and leaves the shared choice as it was.
   */
  private async choose(signal?: AbortSignal): Promise<InferenceBackend> {
    if (Date.now() - this.probedAt > PROBE_TTL_MS) {
      const h = await this.ollama.health(AbortSignal.timeout(PROBE_TIMEOUT_MS));
      const chosen = h.reachable ? this.ollama : this.local;
      if (signal?.aborted) return chosen;
      this.current = chosen;
      this.probedAt = Date.now();
    }
    return this.current;
  }

  async *generate(request: GenerateRequest, signal: AbortSignal): AsyncGenerator<GenerateEvent, void, undefined> {
    const backend = await this.choose(signal);
    for await (const ev of backend.generate(request, signal)) {
      // Stamp the backend that served this request; `name` may have moved on by the time a reader looks.
      yield ev.type === "done" ? { ...ev, stats: { ...ev.stats, backend: ev.stats.backend ?? backend.name } } : ev;
    }
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
