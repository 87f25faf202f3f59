import { ApiError, errorFromResponse, isAbortLike } from "@/lib/api-error";
import type { AskEvent, AskRequestInput } from "@/lib/schemas/ask";
import { AskEventReaders } from "@/lib/schemas/read-ask";
import { readSseFrames } from "@/lib/sse/decode";

/**
 * A known event, validated; null for an event type this page does not know. An event it knows but cannot read
 * (not JSON, or not the shape it expects) means the server speaks another version of the protocol, not that the
 * connection broke.
 */
function parseEvent(frame: { event: string; data: string }, status: number): AskEvent | null {
  // The browser's zod-free readers of the AskEventSchemas (lib/schemas/read-ask.ts): the clinician page loads no zod.
  const schema = AskEventReaders[frame.event as keyof typeof AskEventReaders];
  if (!schema) return null;
  try {
    return { event: frame.event, data: schema.parse(JSON.parse(frame.data)) } as AskEvent;
  } catch {
    throw ApiError.client("protocol_error", "The server sent an answer this page does not understand.", status);
  }
}

/**
 * POSTs a streaming ask and calls `onEvent` for each validated event. Resolves when the stream ends;
 * rejects with ApiError for an HTTP error or an in-band `error` event, and with AbortError on abort.
 */
export async function streamAsk(
  body: AskRequestInput,
  opts: { signal?: AbortSignal; onEvent: (ev: AskEvent) => void; fetchImpl?: typeof fetch; baseUrl?: string },
): Promise<void> {
  let res: Response;
  try {
    res = await (opts.fetchImpl ?? fetch)(`${opts.baseUrl ?? ""}/api/ask`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify({ ...body, stream: true }),
      signal: opts.signal,
    });
  } catch (err) {
    if (isAbortLike(err)) throw err;
    throw ApiError.client("network_error", "Could not reach the MedGPT server.");
  }
  if (!res.ok || !res.body) throw await errorFromResponse(res);

  let finished = false;
  try {
    for await (const frame of readSseFrames(res.body)) {
      const ev = parseEvent(frame, res.status);
      if (!ev) continue; // unknown events are ignored so the server can add new ones
      if (ev.event === "error") throw new ApiError(ev.data, res.status);
      opts.onEvent(ev);
      if (ev.event === "done") finished = true;
    }
  } catch (err) {
    if (err instanceof ApiError || isAbortLike(err, opts.signal)) throw err;
    throw ApiError.client(
      "network_error",
      "The connection to the server broke while the answer was streaming.",
      res.status,
      "Retry.",
    );
  }
  if (!finished && !opts.signal?.aborted) {
    throw ApiError.client(
      "upstream_error",
      "The answer stream ended early.",
      res.status,
      "Retry; if it persists, check the server logs.",
    );
  }
}
