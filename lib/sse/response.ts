import { toAppError, type ErrorCode } from "@/lib/errors";
import { encodeSseFrame, SSE_HEADERS } from "./encode";

export type SseEvent = { event: string; data: unknown };
export type StreamOutcome = "ok" | "aborted" | ErrorCode;

/**
 * Events + signal → a text/event-stream Response, for any streaming route.
 * - It waits for the first event, so a failure before any output rejects here and the caller answers it with a
 *   real HTTP status instead of a 200 stream.
 * - A failure after output began is sent in-band as one `error` event, then the stream ends.
 * - When the client stops reading (Stop, closed tab), `cancel` is aborted and the generator is returned, so the
 *   work upstream stops too.
 * `onEnd` hears how the stream ended, once.
 */
export async function sseResponse(
  events: AsyncGenerator<SseEvent, void, undefined>,
  opts: { signal: AbortSignal; cancel: AbortController; onEnd?: (outcome: StreamOutcome) => void },
): Promise<Response> {
  const first = await events.next();
  const encoder = new TextEncoder();
  const send = (controller: ReadableStreamDefaultController<Uint8Array>, ev: SseEvent) =>
    controller.enqueue(encoder.encode(encodeSseFrame(ev.event, ev.data)));
  const end = (controller: ReadableStreamDefaultController<Uint8Array>, outcome: StreamOutcome) => {
    opts.onEnd?.(outcome);
    controller.close();
  };
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      if (first.done) return end(controller, "ok");
      send(controller, first.value);
    },
    async pull(controller) {
      try {
        const next = await events.next();
        if (next.done) return end(controller, "ok");
        send(controller, next.value);
      } catch (err) {
        if (opts.signal.aborted) return end(controller, "aborted");
        // After output began the status is already 200: report the failure in-band and end the stream.
        const appError = toAppError(err);
        send(controller, { event: "error", data: appError.toBody() });
        end(controller, appError.code);
      }
    },
    cancel() {
      opts.cancel.abort();
      void events.return(undefined);
    },
  });
  return new Response(stream, { headers: SSE_HEADERS });
}
