import { askOnce, askStream } from "@/lib/ask/service";
import { logAsk } from "@/lib/ask/log";
import { getConfig } from "@/lib/config";
import { AppError, errorResponse, isAbortError, toAppError } from "@/lib/errors";
import { readJsonBody } from "@/lib/http/read-json";
import { getBackend } from "@/lib/inference";
import { AskRequestSchema, type AskEvent } from "@/lib/schemas/ask";
import { encodeSseFrame, SSE_HEADERS } from "@/lib/sse/encode";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  const startedAt = performance.now();
  let body;
  try {
    body = await readJsonBody(request, AskRequestSchema);
  } catch (err) {
    return errorResponse(err);
  }
  const config = getConfig();
  const deps = { backend: getBackend(), config };
  // Aborts upstream generation when the client disconnects (request.signal) or stops reading (cancel below).
  const cancel = new AbortController();
  const signal = AbortSignal.any([request.signal, cancel.signal]);
  const log = (status: string) => logAsk(config, body, { status, ms: performance.now() - startedAt });
  // A client that went away (Stop, closed tab) is not a server fault: no 500, no error log, nobody to answer.
  const failedBeforeOutput = (err: unknown) => {
    if (isAbortError(err) || signal.aborted) {
      log("aborted");
      return new Response(null, { status: 499 });
    }
    log(toAppError(err).code);
    return errorResponse(err);
  };

  if (!body.stream) {
    try {
      const result = await askOnce(body, deps, signal);
      log("ok");
      return Response.json(result);
    } catch (err) {
      return failedBeforeOutput(err);
    }
  }

  const events = askStream(body, deps, signal);
  // Wait for the first event so that failures before any output get a real HTTP status, not a 200 stream.
  let first: IteratorResult<AskEvent>;
  try {
    first = await events.next();
  } catch (err) {
    return failedBeforeOutput(err);
  }

  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      if (first.done) return controller.close();
      controller.enqueue(encoder.encode(encodeSseFrame(first.value.event, first.value.data)));
    },
    async pull(controller) {
      try {
        const next = await events.next();
        if (next.done) {
          log("ok");
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(encodeSseFrame(next.value.event, next.value.data)));
      } catch (err) {
        if (signal.aborted) {
          log("aborted");
          controller.close();
          return;
        }
        // After output began the status is already 200: report the failure in-band and end the stream.
        const appError = toAppError(err);
        log(appError.code);
        controller.enqueue(encoder.encode(encodeSseFrame("error", appError.toBody())));
        controller.close();
      }
    },
    cancel() {
      cancel.abort();
      void events.return(undefined);
    },
  });
  return new Response(stream, { headers: SSE_HEADERS });
}

export function GET(): Response {
  return errorResponse(
    new AppError("method_not_allowed", "Use POST /api/ask with a JSON body; see /docs."),
    { Allow: "POST" },
  );
}
