/**
 * W&B Weave trace-server stand-in: a small node:http server on 127.0.0.1 that answers the requests the `weave`
 * npm SDK (0.11.1) makes while logging an evaluation, and records them so tests can see what arrived.
 *
 * Point the SDK at it with `WF_TRACE_SERVER_URL=http://127.0.0.1:PORT` (used verbatim) and init with
 * "entity/project" (with the entity the SDK makes no GraphQL call to api.wandb.ai; nothing else goes there).
 *
 * What the SDK really calls for an `EvaluationLogger` run (checked in node_modules/weave/dist/weaveClient.js):
 * - `POST /obj/create` (JSON) for every object and op: the Evaluation, the Model, each op
 *   (Evaluation.evaluate, Evaluation.predict_and_score, Model.predict, <scorer>.score, Evaluation.summarize) and
 *   one scorer object per `logScore` call; answers `{digest}`;
 * - `POST /file/create` (multipart) for each op's source (`obj.py`); answers `{digest}` (SDK only logs errors);
 * - `POST /call/upsert_batch` (JSON `{batch:[{mode:"start"|"end", req:{start|end}}]}`), every 200 ms;
 * - `POST /feedback/create` (JSON) once per logged score, `payload: {output: <score>}`; answers `{id,...}`;
 * - `/table/create` + `/table/query` only when a Dataset object (not a name) is logged. `/table/query` must answer
 *   one row per created row: an empty list makes the SDK's row refs throw.
 * Also answered for completeness: `GET /health`, `GET /server_info`, `/call/update`, `/obj/read`,
 * `/calls/stream_query` (NDJSON). Anything else → 404 `{"detail":"Not Found"}` (recorded).
 *
 * Faults (`setFault`): every request (or only listed paths) answers a status with `{"detail": ...}`, or hangs
 * (accepted, never answered). Note the SDK retries 429/5xx and network errors 5 times with 1+2+4+8+16 s backoff,
 * so a 5xx/hang fault only ends through the caller's own timeout; 4xx are not retried.
 */
import { createHash, randomUUID } from "node:crypto";
import type http from "node:http";
import { isRecord, parseJsonOrText, readBody, sendJson, StandinServer } from "./standin-core";

export type WeaveStandinFault =
  | { kind: "none" }
  /** answer `status` with `{"detail": "..."}`; to every request, or only to these paths (e.g. "/call/upsert_batch") */
  | { kind: "status"; status: number; paths?: string[] }
  /** accept the request and never answer (every request, or only these paths) */
  | { kind: "hang"; paths?: string[] };

export type WeaveStandinOptions = {
  /** Start in "every request fails" mode: true = 500, or the status to answer. */
  failAll?: boolean | number;
};

export type WeaveStandinRequest = {
  method: string;
  path: string;
  /** the Authorization header as sent (the SDK sends `Basic base64("api:" + apiKey)`) */
  authorization: string | null;
  contentType: string | null;
  /** parsed JSON when the body is JSON, else the raw text (multipart), or null when empty */
  body: unknown;
  /** status answered; null while hanging */
  status: number | null;
};

/** One call, merged from its upsert_batch start and end records. */
export type WeaveStandinCall = {
  id: string;
  traceId: string | null;
  parentId: string | null;
  /** e.g. "weave:///entity/project/op/Evaluation.evaluate:<digest>" */
  opName: string;
  /** the op's name from opName, e.g. "Evaluation.evaluate", "Model.predict", "exact_match.score" */
  op: string;
  displayName: string | null;
  attributes: Record<string, unknown>;
  inputs: Record<string, unknown>;
  startedAt: string | null;
  ended: boolean;
  endedAt: string | null;
  output: unknown;
  summary: unknown;
  exception: string | null;
};

export type WeaveStandinObject = { objectId: string; digest: string; val: unknown };

export type WeaveStandinFeedback = {
  id: string;
  /** the predict call it is attached to: weave:///entity/project/call/<callId> */
  weaveRef: string;
  /** e.g. "wandb.runnable.exact_match" */
  feedbackType: string;
  payload: unknown;
  runnableRef: string | null;
  callRef: string | null;
};

export type WeaveStandin = {
  /** http://127.0.0.1:PORT (give this to WF_TRACE_SERVER_URL) */
  url: string;
  port: number;
  /** every request, in arrival order */
  requests: WeaveStandinRequest[];
  /** calls in the order their start record arrived (an end arriving first creates the entry) */
  calls(): WeaveStandinCall[];
  /** calls whose `op` equals name */
  callsOf(op: string): WeaveStandinCall[];
  objects: WeaveStandinObject[];
  feedback: WeaveStandinFeedback[];
  setFault(fault: WeaveStandinFault): void;
  /** Clears what was recorded (not the fault). */
  reset(): void;
  /** closes the server and every open socket (hanging requests included) */
  stop(): Promise<void>;
};

const MAX_BODY_BYTES = 64 * 1024 * 1024;

const digestOf = (data: string) => createHash("sha256").update(data).digest("base64url").slice(0, 43);

function opNameToOp(opName: string): string {
  // weave:///entity/project/op/<name>:<digest>
  const m = /\/op\/([^/:]+)(?::[^/]*)?$/.exec(opName);
  return m?.[1] ?? opName;
}

const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

export async function startWeaveStandin(opts: WeaveStandinOptions = {}): Promise<WeaveStandin> {
  const requests: WeaveStandinRequest[] = [];
  const callMap = new Map<string, WeaveStandinCall>();
  const objects: WeaveStandinObject[] = [];
  const feedback: WeaveStandinFeedback[] = [];
  const tables = new Map<string, unknown[]>();
  let fault: WeaveStandinFault =
    opts.failAll === undefined || opts.failAll === false
      ? { kind: "none" }
      : { kind: "status", status: opts.failAll === true ? 500 : opts.failAll };

  const callEntry = (id: string): WeaveStandinCall => {
    let c = callMap.get(id);
    if (!c) {
      c = {
        id,
        traceId: null,
        parentId: null,
        opName: "",
        op: "",
        displayName: null,
        attributes: {},
        inputs: {},
        startedAt: null,
        ended: false,
        endedAt: null,
        output: undefined,
        summary: undefined,
        exception: null,
      };
      callMap.set(id, c);
    }
    return c;
  };

  const recordBatch = (body: unknown): Array<{ id: string; trace_id: string }> => {
    const res: Array<{ id: string; trace_id: string }> = [];
    const batch = isRecord(body) && Array.isArray(body.batch) ? body.batch : [];
    for (const item of batch) {
      if (!isRecord(item) || !isRecord(item.req)) continue;
      if (item.mode === "start" && isRecord(item.req.start)) {
        const s = item.req.start;
        const id = str(s.id) ?? randomUUID();
        const c = callEntry(id);
        c.traceId = str(s.trace_id);
        c.parentId = str(s.parent_id);
        c.opName = str(s.op_name) ?? "";
        c.op = opNameToOp(c.opName);
        c.displayName = str(s.display_name);
        c.attributes = isRecord(s.attributes) ? s.attributes : {};
        c.inputs = isRecord(s.inputs) ? s.inputs : {};
        c.startedAt = str(s.started_at);
        res.push({ id, trace_id: c.traceId ?? "" });
      } else if (item.mode === "end" && isRecord(item.req.end)) {
        const e = item.req.end;
        const id = str(e.id);
        if (id === null) continue;
        const c = callEntry(id);
        c.ended = true;
        c.endedAt = str(e.ended_at);
        c.output = e.output;
        c.summary = e.summary;
        c.exception = str(e.exception);
        if (str(e.display_name) !== null) c.displayName = str(e.display_name);
        res.push({ id, trace_id: c.traceId ?? "" });
      }
    }
    return res;
  };

  /** → [status, json body] */
  const answer = (method: string, path: string, body: unknown, raw: string): [number, unknown] | "ndjson" => {
    const b = isRecord(body) ? body : {};
    switch (`${method} ${path}`) {
      case "GET /health":
        return [200, {}];
      case "GET /server_info":
        return [200, { min_required_weave_python_version: "0.0.0" }];
      case "POST /call/upsert_batch":
        return [200, { res: recordBatch(body) }];
      case "POST /call/update":
        if (str(b.call_id) && str(b.display_name) !== null)
          callEntry(str(b.call_id)!).displayName = str(b.display_name);
        return [200, {}];
      case "POST /obj/create": {
        const obj = isRecord(b.obj) ? b.obj : {};
        const digest = digestOf(JSON.stringify(obj.val ?? null));
        objects.push({ objectId: str(obj.object_id) ?? "", digest, val: obj.val });
        return [200, { digest }];
      }
      case "POST /obj/read": {
        const found = [...objects]
          .reverse()
          .find((o) => o.objectId === b.object_id && (b.digest === "latest" || o.digest === b.digest));
        if (!found) return [404, { detail: "Object not found" }];
        return [
          200,
          { obj: { project_id: b.project_id, object_id: found.objectId, digest: found.digest, val: found.val } },
        ];
      }
      case "POST /table/create": {
        const table = isRecord(b.table) ? b.table : {};
        const rows = Array.isArray(table.rows) ? table.rows : [];
        const digest = digestOf(JSON.stringify(rows));
        tables.set(digest, rows);
        return [200, { digest, row_digests: rows.map((r) => digestOf(JSON.stringify(r))) }];
      }
      case "POST /table/query": {
        const rows = tables.get(str(b.digest) ?? "") ?? [];
        return [
          200,
          { rows: rows.map((val, i) => ({ digest: digestOf(JSON.stringify(val)), val, original_index: i })) },
        ];
      }
      case "POST /file/create":
        return [200, { digest: digestOf(raw) }];
      case "POST /feedback/create": {
        const id = randomUUID();
        feedback.push({
          id,
          weaveRef: str(b.weave_ref) ?? "",
          feedbackType: str(b.feedback_type) ?? "",
          payload: b.payload,
          runnableRef: str(b.runnable_ref),
          callRef: str(b.call_ref),
        });
        return [
          200,
          { id, created_at: new Date().toISOString(), wb_user_id: "standin-user", payload: b.payload ?? {} },
        ];
      }
      case "POST /calls/stream_query":
        return "ndjson";
      default:
        return [404, { detail: "Not Found" }];
    }
  };

  const respond = (req: http.IncomingMessage, res: http.ServerResponse, raw: string) => {
    const contentType = req.headers["content-type"] ?? null;
    const body = raw === "" ? null : (contentType ?? "").includes("json") ? parseJsonOrText(raw) : raw;
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const method = req.method ?? "GET";
    const rec: WeaveStandinRequest = {
      method,
      path,
      authorization: req.headers.authorization ?? null,
      contentType,
      body,
      status: null,
    };
    requests.push(rec);

    const f = fault;
    const applies = f.kind !== "none" && (f.paths === undefined || f.paths.includes(path));
    if (applies && f.kind === "hang") return; // never answered; stop() destroys the socket
    const send = (status: number, json: unknown) => {
      rec.status = status;
      sendJson(res, status, json);
    };
    if (applies && f.kind === "status") {
      send(f.status, { detail: `weave stand-in: injected ${f.status} for ${path}` });
      return;
    }
    const a = answer(method, path, body, raw);
    if (a === "ndjson") {
      const filter = isRecord(body) && isRecord(body.filter) ? body.filter : {};
      const ids = Array.isArray(filter.call_ids) ? filter.call_ids : null;
      const lines = [...callMap.values()]
        .filter((c) => ids === null || ids.includes(c.id))
        .map((c) =>
          JSON.stringify({
            id: c.id,
            project_id: isRecord(body) ? body.project_id : "",
            op_name: c.opName,
            trace_id: c.traceId,
            parent_id: c.parentId,
            display_name: c.displayName,
            started_at: c.startedAt,
            ended_at: c.endedAt,
            attributes: c.attributes,
            inputs: c.inputs,
            output: c.output ?? null,
            summary: c.summary ?? null,
            exception: c.exception,
          }),
        );
      rec.status = 200;
      res.writeHead(200, { "content-type": "application/x-ndjson" });
      res.end(lines.map((l) => `${l}\n`).join(""));
      return;
    }
    send(a[0], a[1]);
  };
  // A body over the limit drops the connection (readBody destroys it); there is nothing left to answer.
  const server = await StandinServer.start((req, res) => {
    readBody(req, MAX_BODY_BYTES).then(
      (raw) => respond(req, res, raw),
      () => res.destroy(),
    );
  });

  return {
    url: server.url,
    port: server.port,
    requests,
    calls: () => [...callMap.values()],
    callsOf: (op) => [...callMap.values()].filter((c) => c.op === op),
    objects,
    feedback,
    setFault(f) {
      fault = f;
    },
    reset() {
      requests.length = 0;
      objects.length = 0;
      feedback.length = 0;
      callMap.clear();
      tables.clear();
    },
    stop: () => server.stop(),
  };
}
