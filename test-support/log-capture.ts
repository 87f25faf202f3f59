/** The server's log lines, read back in tests: the real logger (lib/observability/log.ts) writing into a stream. */
import { Writable } from "node:stream";
import { setLogSink } from "@/lib/observability/log";

export type LogLine = Record<string, unknown> & { level: string; msg: string; requestId?: string };

/**
 * Points the process's logger at a stream that keeps every line; `restore()` sends it back to stderr. Each raw line
 * is kept as written, so a test can check that it is JSON.
 */
export function captureLogs() {
  const raw: string[] = [];
  setLogSink(
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        raw.push(...chunk.toString().split("\n").filter(Boolean));
        done();
      },
    }),
  );
  return {
    raw,
    lines: () => raw.map((l) => JSON.parse(l) as LogLine),
    clear: () => void raw.splice(0),
    restore: () => setLogSink("stderr"),
  };
}
