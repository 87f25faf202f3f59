import { afterEach, describe, expect, it } from "vitest";
import { startWeaveStandin, type WeaveStandin } from "./weave-standin";

let standin: WeaveStandin | null = null;
afterEach(async () => {
  await standin?.stop();
  standin = null;
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${standin!.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Basic abc", ...headers },
    body: JSON.stringify(body),
  });

describe("weave stand-in", () => {
  it("merges upsert_batch start and end records into calls, in start order", async () => {
    standin = await startWeaveStandin();
    const start = (id: string, op: string, parent?: string) => ({
      mode: "start",
      req: {
        start: {
          project_id: "e/p",
          id,
          op_name: `weave:///e/p/op/${op}:dig3st`,
          trace_id: "t1",
          parent_id: parent,
          started_at: "2026-01-01T00:00:00.000Z",
          attributes: { a: 1 },
          inputs: { arg0: { q: id } },
        },
      },
    });
    const end = (id: string, output: unknown) => ({
      mode: "end",
      req: { end: { project_id: "e/p", id, ended_at: "2026-01-01T00:00:01.000Z", output, summary: {} } },
    });
    const r1 = await post("/call/upsert_batch", {
      batch: [start("c1", "Evaluation.evaluate"), start("c2", "Model.predict", "c1"), end("c2", { raw: "A" })],
    });
    expect(r1.status).toBe(200);
    expect(await r1.json()).toEqual({
      res: [
        { id: "c1", trace_id: "t1" },
        { id: "c2", trace_id: "t1" },
        { id: "c2", trace_id: "t1" },
      ],
    });
    await post("/call/upsert_batch", { batch: [end("c1", { accuracy: 1 })] });

    expect(standin.calls().map((c) => [c.id, c.op, c.parentId, c.ended])).toEqual([
      ["c1", "Evaluation.evaluate", null, true],
      ["c2", "Model.predict", "c1", true],
    ]);
    const predict = standin.callsOf("Model.predict")[0]!;
    expect(predict).toMatchObject({
      traceId: "t1",
      inputs: { arg0: { q: "c2" } },
      output: { raw: "A" },
      attributes: { a: 1 },
      endedAt: "2026-01-01T00:00:01.000Z",
    });
    expect(standin.callsOf("Evaluation.evaluate")[0]!.output).toEqual({ accuracy: 1 });
    expect(standin.requests.map((q) => [q.method, q.path, q.status, q.authorization])).toEqual([
      ["POST", "/call/upsert_batch", 200, "Basic abc"],
      ["POST", "/call/upsert_batch", 200, "Basic abc"],
    ]);
  });

  it("answers obj/create with a content digest, feedback/create with an id, table/query with one row per row", async () => {
    standin = await startWeaveStandin();
    const a = (await (
      await post("/obj/create", { obj: { project_id: "e/p", object_id: "m", val: { x: 1 } } })
    ).json()) as { digest: string };
    const b = (await (
      await post("/obj/create", { obj: { project_id: "e/p", object_id: "m", val: { x: 1 } } })
    ).json()) as { digest: string };
    const c = (await (
      await post("/obj/create", { obj: { project_id: "e/p", object_id: "m", val: { x: 2 } } })
    ).json()) as { digest: string };
    expect(a.digest).toMatch(/^[\w-]{20,}$/);
    expect(b.digest).toBe(a.digest);
    expect(c.digest).not.toBe(a.digest);
    expect(standin.objects.map((o) => o.val)).toEqual([{ x: 1 }, { x: 1 }, { x: 2 }]);
    const read = await post("/obj/read", { project_id: "e/p", object_id: "m", digest: c.digest });
    expect(await read.json()).toMatchObject({ obj: { object_id: "m", digest: c.digest, val: { x: 2 } } });

    const fb = await post("/feedback/create", {
      project_id: "e/p",
      weave_ref: "weave:///e/p/call/c2",
      feedback_type: "wandb.runnable.exact_match",
      payload: { output: true },
      runnable_ref: "r",
      call_ref: "weave:///e/p/call/s1",
    });
    expect(await fb.json()).toMatchObject({ id: expect.any(String), payload: { output: true } });
    expect(standin.feedback).toEqual([
      {
        id: expect.any(String),
        weaveRef: "weave:///e/p/call/c2",
        feedbackType: "wandb.runnable.exact_match",
        payload: { output: true },
        runnableRef: "r",
        callRef: "weave:///e/p/call/s1",
      },
    ]);

    const t = (await (
      await post("/table/create", { table: { project_id: "e/p", rows: [{ q: 1 }, { q: 2 }] } })
    ).json()) as { digest: string; row_digests: string[] };
    expect(t.row_digests).toHaveLength(2);
    const rows = (await (await post("/table/query", { project_id: "e/p", digest: t.digest })).json()) as {
      rows: Array<{ digest: string; val: unknown }>;
    };
    expect(rows.rows.map((r) => r.val)).toEqual([{ q: 1 }, { q: 2 }]);
    expect(rows.rows.map((r) => r.digest)).toEqual(t.row_digests);

    const form = new FormData();
    form.append("project_id", "e/p");
    form.append("file", new Blob(["print(1)"]), "obj.py");
    const file = await fetch(`${standin.url}/file/create`, { method: "POST", body: form });
    expect(await file.json()).toEqual({ digest: expect.any(String) });
    expect(standin.requests.at(-1)!.body).toEqual(expect.stringContaining("print(1)"));

    expect((await fetch(`${standin.url}/health`)).status).toBe(200);
    const unknown = await post("/nope", {});
    expect(unknown.status).toBe(404);
    expect(standin.requests.at(-1)).toMatchObject({ path: "/nope", status: 404 });
  });

  it("streams calls for calls/stream_query (NDJSON), filtered by call_ids", async () => {
    standin = await startWeaveStandin();
    await post("/call/upsert_batch", {
      batch: ["x", "y"].map((id) => ({
        mode: "start",
        req: {
          start: {
            project_id: "e/p",
            id,
            op_name: "weave:///e/p/op/f:d",
            trace_id: "t",
            started_at: "s",
            inputs: {},
            attributes: {},
          },
        },
      })),
    });
    const res = await post("/calls/stream_query", { project_id: "e/p", filter: { call_ids: ["y"] } });
    expect(res.headers.get("content-type")).toBe("application/x-ndjson");
    const lines = (await res.text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { id: string });
    expect(lines.map((l) => l.id)).toEqual(["y"]);
  });

  it("failAll answers 500 to everything; setFault can target paths or switch back", async () => {
    standin = await startWeaveStandin({ failAll: true });
    const r = await post("/obj/create", { obj: { val: 1 } });
    expect(r.status).toBe(500);
    expect(await r.json()).toEqual({ detail: "weave stand-in: injected 500 for /obj/create" });
    expect(standin.objects).toEqual([]);

    standin.setFault({ kind: "status", status: 400, paths: ["/call/upsert_batch"] });
    expect((await post("/call/upsert_batch", { batch: [] })).status).toBe(400);
    expect((await post("/obj/create", { obj: { val: 1 } })).status).toBe(200);

    standin.setFault({ kind: "none" });
    expect((await post("/call/upsert_batch", { batch: [] })).status).toBe(200);
    expect(standin.requests.map((q) => q.status)).toEqual([500, 400, 200, 200]);

    standin.reset();
    expect(standin.requests).toEqual([]);
    expect(standin.objects).toEqual([]);
  });

  it("failAll with a status; hang never answers and stop() still closes promptly", async () => {
    standin = await startWeaveStandin({ failAll: 503 });
    expect((await post("/feedback/create", {})).status).toBe(503);

    standin.setFault({ kind: "hang" });
    const pending = post("/obj/create", { obj: { val: 1 } }).then(
      () => "answered",
      () => "failed",
    );
    const raced = await Promise.race([pending, new Promise((r) => setTimeout(() => r("still waiting"), 300))]);
    expect(raced).toBe("still waiting");
    expect(standin.requests.at(-1)).toMatchObject({ path: "/obj/create", status: null });
    const t0 = Date.now();
    await standin.stop();
    standin = null;
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(await pending).toBe("failed"); // the socket was destroyed
  });
});
