import { readSseFrames, type SseFrame } from "@/lib/sse/decode";

/**
 * Reads a response's event stream to its end. `onFrame` is called with the frames so far as each one arrives, for
 * tests that act mid-stream (abort after the second token, make the model server go quiet, ...).
 */
export async function collectSse(res: Response, onFrame?: (frames: SseFrame[]) => void): Promise<SseFrame[]> {
  const frames: SseFrame[] = [];
  for await (const frame of readSseFrames(res.body!)) {
    frames.push(frame);
    onFrame?.(frames);
  }
  return frames;
}
