/**
 * Client side of the event stream: turns a fetch body into `{event, data}` frames as they arrive.
 * Works in browsers and Node (fetch + ReadableStream; POST means EventSource is not an option).
 */
export type SseFrame = { event: string; data: string };

export async function* readSseFrames(body: ReadableStream<Uint8Array>): AsyncGenerator<SseFrame> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let raw = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      raw += decoder.decode(value, { stream: true });
      // A "\r" at the end may be the first half of a "\r\n" split across chunks: hold it back until we know.
      const ready = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
      raw = raw.slice(ready.length);
      buffer += ready.replace(/\r\n?/g, "\n");
      let end: number;
      while ((end = buffer.indexOf("\n\n")) !== -1) {
        const frame = parseFrame(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (frame) yield frame;
      }
    }
    const tail = parseFrame(buffer + raw.replace(/\r/g, "\n"));
    if (tail) yield tail;
  } finally {
    reader.releaseLock();
  }
}

function parseFrame(block: string): SseFrame | null {
  let event = "message";
  const data: string[] = [];
  for (const line of block.split("\n")) {
    if (line === "" || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
  }
  return data.length ? { event, data: data.join("\n") } : null;
}
