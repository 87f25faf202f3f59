import { setImmediate as yieldToEventLoop } from "node:timers/promises";

/**
 * Long synchronous work written as a generator that `yield`s at safe points, run in slices that give the event loop
 * back every few milliseconds (storing a large dataset on the server, so other requests keep flowing meanwhile).
 */
export type Steps<T> = Generator<void, T, undefined>;

export async function runInSlices<T>(steps: Steps<T>, sliceMs = 8): Promise<T> {
  let sliceStart = performance.now();
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    if (performance.now() - sliceStart >= sliceMs) {
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
  }
}

/**
 * For async loops over data that is already buffered: their awaits resolve as microtasks, which never let other
 * requests' I/O in. `await pause()` gives the event loop back once `sliceMs` have passed since the last time.
 */
export function slicePauses(sliceMs = 8): () => Promise<void> {
  let sliceStart = performance.now();
  return async () => {
    if (performance.now() - sliceStart < sliceMs) return;
    await yieldToEventLoop();
    sliceStart = performance.now();
  };
}
