/**
 * An inactivity watchdog shared by the HTTP backends: its signal aborts (reason: a DOMException named
 * "TimeoutError") when `feed` has not been called for `ms`. Start it before the request, so the wait for
 * the first byte counts too (Ollama sends headers only with the first token; vLLM may queue a request).
 */
export function inactivityWatchdog(ms: number): { signal: AbortSignal; feed: () => void; stop: () => void } {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const feed = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(new DOMException("upstream timeout", "TimeoutError")), ms);
  };
  feed();
  return { signal: controller.signal, feed, stop: () => clearTimeout(timer) };
}
