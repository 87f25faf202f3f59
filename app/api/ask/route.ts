import { askOnce, askStream, mergeTokenEvents } from "@/lib/ask/service";
import { logAsk, type AskDone } from "@/lib/ask/log";
import { getConfig } from "@/lib/config";
import { AppError, errorResponse, isAbortError, toAppError } from "@/lib/errors";
import { readJsonBody } from "@/lib/http/read-json";
import { getBackend } from "@/lib/inference";
import { apiRoute } from "@/lib/observability/api-route";
import { bindToRequest } from "@/lib/observability/log";
import { admitCaller, generationSlots } from "@/lib/security/ask-gate";
import { AskRequestSchema } from "@/lib/schemas/ask";
import { sseResponse } from "@/lib/sse/response";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * Who may ask and how often (API key, rate limit) is settled first, then the body, then a generation slot; every
 * refusal is a JSON error with a real status before any stream starts.
 */
export const POST = apiRoute(async (request: Request): Promise<Response> => {
  const startedAt = performance.now();
  const config = getConfig();
  let body;
  try {
    admitCaller(request, config);
    body = await readJsonBody(request, AskRequestSchema);
  } catch (err) {
    logAsk(config, null, { status: toAppError(err).code, ms: performance.now() - startedAt });
    return errorResponse(err);
  }
  const deps = { backend: getBackend(), config };
  // Aborts upstream generation when the client disconnects (request.signal) or stops reading (cancel below).
  const cancel = new AbortController();
  const signal = AbortSignal.any([request.signal, cancel.signal]);
  // A stream's end is heard from the server's reading of it, outside this request's context: bound, so the line
  // still carries the request id.
  const log = bindToRequest((status: string, done?: AskDone | null) =>
    logAsk(config, body, { status, ms: performance.now() - startedAt, done, backend: deps.backend.name }),
  );
  // A client that went away (Stop, closed tab) is not a server fault: no 500, no error log, nobody to answer.
  const failedBeforeOutput = (err: unknown) => {
    if (isAbortError(err) || signal.aborted) {
      log("aborted");
      return new Response(null, { status: 499 });
    }
    log(toAppError(err).code);
    return errorResponse(err);
  };

  let release: () => void;
  try {
    release = await generationSlots(config.askMaxConcurrent).acquire(signal);
  } catch (err) {
    return failedBeforeOutput(err);
  }
  // The slot is freed however the generation ends: done, failed, or the client gone.
  signal.addEventListener("abort", release, { once: true });

  if (!body.stream) {
    try {
      const result = await askOnce(body, deps, signal);
      log("ok", result);
      return Response.json(result);
    } catch (err) {
      return failedBeforeOutput(err);
    } finally {
      release();
    }
  }

  try {
    // The answer's model, backend and timings, handed over once at its end (nothing is added per token).
    let done: AskDone | null = null;
    const onEnd = (outcome: string) => {
      release();
      log(outcome, outcome === "ok" ? done : null);
    };
    return await sseResponse(
      askStream(body, deps, signal, (d) => (done = d)),
      { signal, cancel, onEnd, merge: mergeTokenEvents },
    );
  } catch (err) {
    release();
    return failedBeforeOutput(err);
  }
});

export const GET = apiRoute(() =>
  errorResponse(new AppError("method_not_allowed", "Use POST /api/ask with a JSON body; see /docs."), {
    Allow: "POST",
  }),
);
