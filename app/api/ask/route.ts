import { askOnce, askStream } from "@/lib/ask/service";
import { logAsk } from "@/lib/ask/log";
import { getConfig } from "@/lib/config";
import { AppError, errorResponse, isAbortError, toAppError } from "@/lib/errors";
import { readJsonBody } from "@/lib/http/read-json";
import { getBackend } from "@/lib/inference";
import { AskRequestSchema } from "@/lib/schemas/ask";
import { sseResponse } from "@/lib/sse/response";

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

  try {
    return await sseResponse(askStream(body, deps, signal), { signal, cancel, onEnd: log });
  } catch (err) {
    return failedBeforeOutput(err);
  }
}

export function GET(): Response {
  return errorResponse(new AppError("method_not_allowed", "Use POST /api/ask with a JSON body; see /docs."), {
    Allow: "POST",
  });
}
