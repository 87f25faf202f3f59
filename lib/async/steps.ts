import { setImmediate as yieldToEventLoop } from "node:timers/promises";

/**
 * Long synchronous work written once as a generator that `yield`s at safe points, then run either at once
 * (`runNow`: the CLI, tests) or in slices that give the event loop back every few milliseconds (`runInSlices`: the
 * server, so a 45 MB import does not stall every clinician's stream meanwhile).
 */
export type Steps<T> = Generator<void, T, undefined>;

export function runNow<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

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

/** True every `every`-th call: where a loop yields. */
export const every = (n: number) => {
  let count = 0;
  return () => ++count % n === 0;
};
