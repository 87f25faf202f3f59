import "server-only";
import { Ollama } from "ollama";

/**
 * The system error code (ECONNREFUSED, ENOTFOUND, …) behind a failed `fetch`, when there is one.
 * undici puts it on `err.cause`; Node's happy-eyeballs connect (e.g. "localhost": ::1 then 127.0.0.1)
 * fails with an AggregateError whose `errors` carry the codes.
 */
export function networkCode(err: unknown): string | undefined {
  const cause = (err as { cause?: { code?: unknown; errors?: { code?: unknown }[] } } | undefined)?.cause;
  if (typeof cause?.code === "string") return cause.code;
  const first = Array.isArray(cause?.errors) ? cause.errors[0]?.code : undefined;
  return typeof first === "string" ? first : undefined;
}

/**
 * An `ollama` client whose every request also ends when `signals` abort. The client cannot take a signal
 * per call, so we inject it through its `fetch` option — this is what stops generation upstream when the
 * user presses Stop or disconnects (Ollama cancels a generation whose connection closes).
 */
export function ollamaClientWithSignals(host: string, signals: AbortSignal[]): Ollama {
  return new Ollama({
    host,
    fetch: (input, init) =>
      fetch(input, { ...init, signal: AbortSignal.any([...signals, ...(init?.signal ? [init.signal] : [])]) }),
  });
}
