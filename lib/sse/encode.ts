/** Server side of the event stream: one `event:`/`data:` frame per event. JSON never contains a raw newline. */
export function encodeSseFrame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** A comment frame; proxies that buffer until they see bytes are kept moving by it. */
export const SSE_KEEPALIVE = ": keep-alive\n\n";

export const SSE_HEADERS = {
  "Content-Type": "text/event-stream; charset=utf-8",
  "Cache-Control": "no-cache, no-transform",
  Connection: "keep-alive",
  // Tells nginx not to buffer the stream.
  "X-Accel-Buffering": "no",
} as const;
