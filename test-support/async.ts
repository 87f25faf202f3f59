import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Sleep } from "@/lib/async/backoff";

/** What `p` rejected with; fails the test if it resolved instead. */
export async function rejection<E = Error>(p: Promise<unknown>): Promise<E> {
  try {
    await p;
  } catch (e) {
    return e as E;
  }
  throw new Error("expected a rejection");
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** A sleep that records the delays asked for and returns at once: no test waits real time. */
export function recordingSleep(): { delays: number[]; sleep: Sleep } {
  const delays: number[] = [];
  const sleep: Sleep = async (ms) => {
    delays.push(ms);
  };
  return { delays, sleep };
}

/** An unrelated operation after a failure: the test process (and its event loop) must be intact. */
export async function unrelatedHttpRoundTrip(): Promise<string> {
  const server = http.createServer((_req, res) => res.end("still alive"));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const { port } = server.address() as AddressInfo;
  try {
    return await (await fetch(`http://127.0.0.1:${port}/`)).text();
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
}
