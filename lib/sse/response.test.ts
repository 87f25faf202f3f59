import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { mergeTokenEvents } from "@/lib/ask/service";
import { sseResponse, type SseEvent, type StreamOutcome } from "./response";

const token = (text: string): SseEvent => ({ event: "token", data: { text } });

/** The events as a client parses them, one list entry per event. */
function parse(text: string) {
  return text
    .split("\n\n")
    .filter(Boolean)
    .map((frame) => {
      const [, event] = /^event: (.*)$/m.exec(frame)!;
      const [, data] = /^data: (.*)$/m.exec(frame)!;
      return { event: event!, data: JSON.parse(data!) as { text?: string } };
    });
}

async function respond(events: AsyncGenerator<SseEvent, void, undefined>) {
  const ended: StreamOutcome[] = [];
  const cancel = new AbortController();
  const res = await sseResponse(events, {
    signal: cancel.signal,
    cancel,
    onEnd: (o) => ended.push(o),
    merge: mergeTokenEvents,
  });
  return { res, ended, cancel };
}

describe("sseResponse", () => {
  it("sends tokens that arrived together as one token event, with the same text, before the answer", async () => {
    async function* burst() {
      yield token("<analysis>");
      for (let i = 0; i < 50; i++) yield token(` t${i}`); // no wait in between: one burst, as from one network read
      yield { event: "answer", data: { letter: "B" } };
      yield { event: "done", data: {} };
    }
    const { res, ended } = await respond(burst());
    const events = parse(await res.text());
    expect(events.map((e) => e.event)).toEqual(["token", "token", "answer", "done"]);
    expect(events.map((e) => e.data.text ?? "").join("")).toBe(
      "<analysis>" + Array.from({ length: 50 }, (_, i) => ` t${i}`).join(""),
    );
    expect(ended).toEqual(["ok"]);
  });

  it("gives a client that keeps up every token as its own event, as it arrives", async () => {
    async function* paced() {
      for (let i = 0; i < 5; i++) {
        yield token(`t${i}`);
        await sleep(5);
      }
      yield { event: "done", data: {} };
    }
    const { res } = await respond(paced());
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    const seen: string[] = [];
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      seen.push(...parse(decoder.decode(value)).map((e) => e.data.text ?? e.event));
    }
    expect(seen).toEqual(["t0", "t1", "t2", "t3", "t4", "done"]);
  });

  it("merges what waited while the client was not reading into one event when it reads again", async () => {
    let produced = 0;
    async function* paced() {
      for (let i = 0; i < 10; i++) {
        yield token(`t${i}`);
        produced++;
        await sleep(2);
      }
      yield { event: "done", data: {} };
    }
    const { res } = await respond(paced());
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    const firstRead = parse(decoder.decode((await reader.read()).value));
    expect(firstRead.map((e) => e.data.text)).toEqual(["t0"]);
    while (produced < 10) await sleep(5); // a slow client: everything else arrives before it reads again
    let rest = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      rest += decoder.decode(value);
    }
    const events = parse(rest);
    expect(events.length).toBeLessThanOrEqual(3); // at most: what was already queued, the merged rest, done
    expect(events.map((e) => e.data.text ?? "").join("")).toBe("t1t2t3t4t5t6t7t8t9");
    expect(events.at(-1)!.event).toBe("done");
  });

  it("ends with one error event when upstream fails after output began", async () => {
    async function* failing(): AsyncGenerator<SseEvent, void, undefined> {
      yield token("a");
      await sleep(1);
      throw new Error("socket hang up");
    }
    const { res, ended } = await respond(failing());
    const events = parse(await res.text());
    expect(events.map((e) => e.event)).toEqual(["token", "error"]);
    expect(ended).toHaveLength(1);
    expect(ended[0]).not.toBe("ok");
  });

  it("stops upstream when the client cancels, and reports the stream as aborted once", async () => {
    let returned = false;
    const { res, ended, cancel } = await respond(
      (async function* () {
        try {
          for (let i = 0; ; i++) {
            yield token(`t${i}`);
            await sleep(2);
          }
        } finally {
          returned = true;
        }
      })(),
    );
    const reader = res.body!.getReader();
    await reader.read();
    await reader.cancel();
    expect(cancel.signal.aborted).toBe(true);
    for (let i = 0; i < 50 && !returned; i++) await sleep(5);
    expect(returned).toBe(true);
    for (let i = 0; i < 50 && ended.length === 0; i++) await sleep(5);
    expect(ended).toEqual(["aborted"]);
  });
});
