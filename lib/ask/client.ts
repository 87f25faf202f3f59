import { AskEventSchemas, ErrorEnvelopeSchema, type AskEvent, type AskRequestInput, type ErrorBody } from "@/lib/schemas/ask";
import { readSseFrames } from "@/lib/sse/decode";

/** An error the server (or the network) reported, with the stable code and the fix to show. */
export class AskError extends Error {
  override name = "AskError";
  constructor(
    readonly body: ErrorBody,
    readonly status: number | null,
  ) {
    super(body.message);
  }
}

async function errorFromResponse(res: Response): Promise<AskError> {
  const json: unknown = await res.json().catch(() => null);
  const parsed = ErrorEnvelopeSchema.safeParse(json);
  if (parsed.success) return new AskError(parsed.data.error, res.status);
  return new AskError(
    { code: "upstream_error", message: `The server answered ${res.status} ${res.statusText}.`, fix: "Retry in a moment." },
    res.status,
  );
}

/**
 * A known event, validated; null for an event type this page does not know. An event it knows but cannot read
 * (not JSON, or not the shape it expects) means the server speaks another version of the protocol, not that the
 * connection broke.
 */
function parseEvent(frame: { event: string; data: string }, status: number): AskEvent | null {
  const schema = AskEventSchemas[frame.event as keyof typeof AskEventSchemas];
  if (!schema) return null;
  try {
    return { event: frame.event, data: schema.parse(JSON.parse(frame.data)) } as AskEvent;
  } catch {
    throw new AskError(
      {
        code: "protocol_error",
        message: "The server sent an answer this page does not understand.",
        fix: "Reload the page (the server may have been updated).",
      },
      status,
    );
  }
}

/**
 * POSTs a streaming ask and calls `onEvent` for each validated event. Resolves when the stream ends;
 * rejects with AskError for an HTTP error or an in-band `error` event, and with AbortError on abort.
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
    if (err instanceof Error && err.name === "AbortError") throw err;
    throw new AskError(
      { code: "network_error", message: "Could not reach the MedGPT server.", fix: "Check that the server is running and your connection." },
      null,
    );
  }
  if (!res.ok || !res.body) throw await errorFromResponse(res);

  let finished = false;
  try {
    for await (const frame of readSseFrames(res.body)) {
      const ev = parseEvent(frame, res.status);
      if (!ev) continue; // unknown events are ignored so the server can add new ones
      if (ev.event === "error") throw new AskError(ev.data, res.status);
      opts.onEvent(ev);
      if (ev.event === "done") finished = true;
    }
  } catch (err) {
    if (err instanceof AskError || (err instanceof Error && err.name === "AbortError") || opts.signal?.aborted) throw err;
    throw new AskError(
      { code: "network_error", message: "The connection to the server broke while the answer was streaming.", fix: "Retry." },
      res.status,
    );
  }
  if (!finished && !opts.signal?.aborted) {
    throw new AskError(
      { code: "upstream_error", message: "The answer stream ended early.", fix: "Retry; if it persists, check the server logs." },
      res.status,
    );
  }
}
