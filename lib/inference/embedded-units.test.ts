import { describe, expect, it } from "vitest";
import { isAbortError } from "@/lib/errors";
import { Channel } from "./embedded-channel";
import { renderGemmaChat } from "./embedded-gemma";
import { QueueFullError, SlotQueue } from "@/lib/async/slot-queue";

describe("SlotQueue", () => {
  it("grants up to the limit, then queues in FIFO order", async () => {
    const q = new SlotQueue(2);
    const r1 = await q.acquire();
    const r2 = await q.acquire();
    const order: number[] = [];
    const w3 = q.acquire().then((r) => (order.push(3), r));
    const w4 = q.acquire().then((r) => (order.push(4), r));
    expect(q.stats()).toMatchObject({ active: 2, queued: 2, peakActive: 2 });
    r1();
    r1(); // releasing twice frees one slot only
    const r3 = await w3;
    expect(q.stats()).toMatchObject({ active: 2, queued: 1 });
    r2();
    const r4 = await w4;
    r3();
    r4();
    expect(order).toEqual([3, 4]);
    expect(q.stats()).toMatchObject({ active: 0, queued: 0, peakActive: 2, started: 4 });
  });

  it("an aborted waiter leaves the queue and is never granted", async () => {
    const q = new SlotQueue(1);
    const r1 = await q.acquire();
    const ctl = new AbortController();
    const aborted = q.acquire(ctl.signal);
    const next = q.acquire();
    ctl.abort();
    await expect(aborted).rejects.toSatisfy(isAbortError);
    expect(q.stats()).toMatchObject({ queued: 1, abandoned: 1 });
    r1();
    (await next)();
    expect(q.stats()).toMatchObject({ active: 0, started: 2 });
    await expect(q.acquire(AbortSignal.abort())).rejects.toSatisfy(isAbortError);
  });

  it("refuses beyond the queue limit", async () => {
    const q = new SlotQueue(1, 1);
    await q.acquire();
    void q.acquire();
    await expect(q.acquire()).rejects.toBeInstanceOf(QueueFullError);
  });
});

describe("Channel", () => {
  it("delivers pushed values in order, then ends; fail() throws to the reader", async () => {
    const ch = new Channel<string>();
    const got: string[] = [];
    const reading = (async () => {
      for await (const v of ch.drain()) got.push(v);
    })();
    ch.push("a");
    await Promise.resolve();
    ch.push("b");
    ch.end();
    ch.push("ignored");
    await reading;
    expect(got).toEqual(["a", "b"]);

    const failing = new Channel<string>();
    failing.fail(new Error("boom"));
    await expect(failing.drain().next()).rejects.toThrow("boom");
  });
});

describe("renderGemmaChat", () => {
  it("renders Gemma turns, folds system into the first user turn, opens the model turn", () => {
    expect(renderGemmaChat([{ role: "user", content: "Hi" }])).toBe(
      "<start_of_turn>user\nHi<end_of_turn>\n<start_of_turn>model\n",
    );
    expect(
      renderGemmaChat([
        { role: "system", content: "Be brief." },
        { role: "user", content: "Q1" },
        { role: "assistant", content: "A1" },
        { role: "user", content: "Q2" },
      ]),
    ).toBe(
      "<start_of_turn>user\nBe brief.\n\nQ1<end_of_turn>\n<start_of_turn>model\nA1<end_of_turn>\n" +
        "<start_of_turn>user\nQ2<end_of_turn>\n<start_of_turn>model\n",
    );
  });
});
