import "server-only";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/**
 * The server's Prometheus metrics (GET /api/metrics), on a registry of our own (never prom-client's global one).
 * Everything is counted once per request or per evaluation item, never per token; gauges are read at scrape time.
 * Like the logger, the metrics live on globalThis: instrumentation and each route are bundles of their own, and a
 * second registration of a name would throw.
 */

/** Seconds; from a warm local model (tenths) to a cold load on a busy server (minutes). */
const FIRST_TOKEN_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120];
const DURATION_BUCKETS = [0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300];

type SlotReading = { active: number; queued: number };

function build() {
  const registry = new Registry();
  let slots: () => SlotReading = () => ({ active: 0, queued: 0 });
  const metrics = {
    registry,
    askRequests: new Counter({
      name: "medgpt_ask_requests_total",
      help: "POST /api/ask requests by outcome (ok, aborted, or the error code) and the backend that served them (none: refused before one was chosen).",
      labelNames: ["outcome", "backend"] as const,
      registers: [registry],
    }),
    firstToken: new Histogram({
      name: "medgpt_ask_first_token_seconds",
      help: "Time from the start of generation to the first token, of the asks that completed.",
      labelNames: ["backend"] as const,
      buckets: FIRST_TOKEN_BUCKETS,
      registers: [registry],
    }),
    duration: new Histogram({
      name: "medgpt_ask_duration_seconds",
      help: "Total time of generation (the done event's timings.totalMs), of the asks that completed.",
      labelNames: ["backend"] as const,
      buckets: DURATION_BUCKETS,
      registers: [registry],
    }),
    tokens: new Counter({
      name: "medgpt_generated_tokens_total",
      help: "Tokens generated for /api/ask, as the backend reported them at the end of each answer.",
      labelNames: ["backend"] as const,
      registers: [registry],
    }),
    inFlight: new Gauge({
      name: "medgpt_generations_in_flight",
      help: "Generations running now (capped by MEDGPT_ASK_MAX_CONCURRENT).",
      registers: [registry],
      collect() {
        this.set(slots().active);
      },
    }),
    queued: new Gauge({
      name: "medgpt_generations_queued",
      help: "Asks waiting for a generation slot now.",
      registers: [registry],
      collect() {
        this.set(slots().queued);
      },
    }),
    evalItems: new Counter({
      name: "medgpt_eval_items_total",
      help: "Evaluation items (one question for one model) finished by this process: done, or failed after their retries.",
      labelNames: ["outcome"] as const,
      registers: [registry],
    }),
    judgeRetries: new Counter({
      name: "medgpt_judge_retries_total",
      help: "Judge calls tried again after a retryable failure (429, 5xx, a broken connection).",
      registers: [registry],
    }),
    processMetrics: false,
    readSlots(reader: () => SlotReading) {
      slots = reader;
    },
  };
  // Zero-valued series from the start, so a dashboard's rate() has a baseline before the first failure.
  metrics.evalItems.inc({ outcome: "done" }, 0);
  metrics.evalItems.inc({ outcome: "failed" }, 0);
  return metrics;
}

type Metrics = ReturnType<typeof build>;

export function metrics(): Metrics {
  return ((globalThis as unknown as { __medgptMetrics?: Metrics }).__medgptMetrics ??= build());
}

/** Node's own figures (CPU, memory, event-loop lag, GC, handles) on our registry; the server calls this at start. */
export function collectProcessMetrics(): void {
  const m = metrics();
  if (m.processMetrics) return;
  m.processMetrics = true;
  collectDefaultMetrics({ register: m.registry });
}

/** What the generation cap reports at scrape time (lib/security/ask-gate.ts registers it). */
export function readGenerationSlots(reader: () => SlotReading): void {
  metrics().readSlots(reader);
}

/** One ask's end: its outcome, and for a completed one the times and tokens from its `done` event. */
export function recordAsk(
  outcome: string,
  backend: string,
  timings?: { firstTokenMs: number | null; totalMs: number; evalCount: number | null },
): void {
  const m = metrics();
  m.askRequests.inc({ outcome, backend });
  if (!timings) return;
  if (timings.firstTokenMs !== null) m.firstToken.observe({ backend }, timings.firstTokenMs / 1000);
  m.duration.observe({ backend }, timings.totalMs / 1000);
  if (timings.evalCount !== null) m.tokens.inc({ backend }, timings.evalCount);
}

export const recordEvalItem = (outcome: "done" | "failed") => metrics().evalItems.inc({ outcome });
export const recordJudgeRetry = () => metrics().judgeRetries.inc();

/** The exposition text and its content type (text/plain; version=0.0.4). */
export async function metricsText(): Promise<{ contentType: string; body: string }> {
  const { registry } = metrics();
  return { contentType: registry.contentType, body: await registry.metrics() };
}
