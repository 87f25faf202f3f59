import { toAppError, type ErrorCode } from "@/lib/errors";
import { encodeSseFrame, SSE_HEADERS } from "./encode";

export type SseEvent = { event: string; data: unknown };
export type StreamOutcome = "ok" | "aborted" | ErrorCode;

type Options = {
  signal: AbortSignal;
  cancel: AbortController;
  onEnd?: (outcome: StreamOutcome) => void;
  /** Two events waiting side by side as one (e.g. two token events → one with both texts), or null to keep both. */
  merge?: (earlier: SseEvent, later: SseEvent) => SseEvent | null;
};

const encoder = new TextEncoder();

/**
 * Events + signal → a text/event-stream Response, for any streaming route.
 * - It waits for the first event, so a failure before any output rejects here and the caller answers it with a
 *   real HTTP status instead of a 200 stream.
 * - Events are read from upstream as fast as they come. What arrived in one turn of the event loop (a burst read
 *   in one network chunk) is sent as one write at the end of that turn, merged by `merge`; a client that is not
 *   reading yet gets the events that waited meanwhile merged into one write when it asks again. A client that keeps
 *   up gets every event in the turn it arrived: nothing is held back on a timer.
 * - A failure after output began is sent in-band as one `error` event, then the stream ends.
 * - When the client stops reading (Stop, closed tab), `cancel` is aborted and the generator is returned, so the
 *   work upstream stops too.
 * `onEnd` hears how the stream ended, once.
 */
export async function sseResponse(events: AsyncGenerator<SseEvent, void, undefined>, opts: Options): Promise<Response> {
  const first = await events.next();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const waiting: SseEvent[] = [];
  let flushQueued = false;
  let upstreamDone = false;
  let closed = false;
  let outcome: StreamOutcome = "ok";
  let told = false;
  const tell = () => {
    if (told) return;
    told = true;
    opts.onEnd?.(outcome);
  };

  const flush = () => {
    flushQueued = false;
    if (closed) return;
    if (waiting.length > 0 && (controller.desiredSize ?? 0) > 0) {
      let frames = "";
      for (const ev of waiting) frames += encodeSseFrame(ev.event, ev.data);
      waiting.length = 0;
      controller.enqueue(encoder.encode(frames));
    }
    // enqueue() may call pull() at once, which may have closed the stream already.
    if (!closed && upstreamDone && waiting.length === 0) {
      closed = true;
      tell();
      controller.close();
    }
  };
  const offer = (ev: SseEvent) => {
    const last = waiting[waiting.length - 1];
    const merged = last !== undefined && opts.merge ? opts.merge(last, ev) : null;
    if (merged) waiting[waiting.length - 1] = merged;
    else waiting.push(ev);
    if (!flushQueued) {
      flushQueued = true;
      setImmediate(flush);
    }
  };

  const pump = async () => {
    try {
      for (;;) {
        const next = await events.next();
        if (next.done) break;
        offer(next.value);
      }
    } catch (err) {
      if (opts.signal.aborted) outcome = "aborted";
      else {
        // After output began the status is already 200: report the failure in-band and end the stream.
        const appError = toAppError(err);
        offer({ event: "error", data: appError.toBody() });
        outcome = appError.code;
      }
    }
    upstreamDone = true;
    if (closed) tell();
    else if (!flushQueued) flush();
  };

  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      if (first.done) {
        upstreamDone = true;
        return flush();
      }
      // The first event goes out at once: it is what the time to first token measures.
      c.enqueue(encoder.encode(encodeSseFrame(first.value.event, first.value.data)));
      void pump();
    },
    pull() {
      if (!flushQueued) flush();
    },
    cancel() {
      closed = true;
      outcome = "aborted";
      opts.cancel.abort();
      void events.return(undefined);
      if (upstreamDone) tell();
    },
  });
  return new Response(stream, { headers: SSE_HEADERS });
}
