/**
 * An inactivity watchdog shared by the HTTP backends: its signal aborts (reason: a DOMException named
 * "TimeoutError") when `feed` has not been called for `ms`. Start it before the request, so the wait for
 * the first byte counts too (Ollama sends headers only with the first token; vLLM may queue a request).
 * `feed` runs once per token, so it only notes the time: one timer per stream checks it when it falls due and
 * re-arms itself for the time left, instead of a timer cleared and set again for every token.
 */
export function inactivityWatchdog(ms: number): { signal: AbortSignal; feed: () => void; stop: () => void } {
  const controller = new AbortController();
  let lastFed = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const check = () => {
    const idle = performance.now() - lastFed;
    if (idle >= ms) controller.abort(new DOMException("upstream timeout", "TimeoutError"));
    else arm(ms - idle);
  };
  const arm = (wait: number) => {
    timer = setTimeout(check, Math.max(1, Math.ceil(wait)));
    timer.unref?.();
  };
  arm(ms);
  return {
    signal: controller.signal,
    feed: () => {
      lastFed = performance.now();
    },
    stop: () => clearTimeout(timer),
  };
}
