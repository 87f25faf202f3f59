import { Writable } from "node:stream";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { errorResponse } from "@/lib/errors";
import { captureLogs } from "@/test-support/log-capture";
import { bindToRequest, currentRequestId, loggerOptions, REDACTED, withRequestId } from "./log";
import { requestIdFrom } from "./request-id";

/** A logger with MedGPT's options over a stream that keeps every line. */
function capture(settings: { logCaseText: boolean; logLevel?: "info" | "debug" | "warn" }) {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split("\n").filter(Boolean));
      done();
    },
  });
  const logger = pino(
    loggerOptions({ logLevel: settings.logLevel ?? "info", logCaseText: settings.logCaseText, prettyLogs: false }),
    stream,
  );
  const parsed = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { logger, lines, parsed };
}

const CASE = "A 61-year-old man, J. Doe, has crushing chest pain radiating to the left arm.";
const OPTIONS = { A: "Myocardial infarction", B: "Costochondritis" };
const SECRETS = {
  authorization: "Bearer s3cret-admin-token-0001",
  cookie: "medgpt_admin=0123456789abcdef",
  token: "s3cret-token-0002",
  apiKey: "mgk_s3cret-key-0003",
  key: "s3cret-key-0004",
  password: "s3cret-password-0005",
};

describe("log redaction", () => {
  it("by default censors the case text and options, and every credential, at the top level and one level down", () => {
    const { logger, lines, parsed } = capture({ logCaseText: false });
    logger.info({ case: CASE, options: OPTIONS, caseChars: CASE.length, ...SECRETS }, "ask");
    logger.info({ req: { caseText: CASE, headers: SECRETS }, item: { case: CASE, options: OPTIONS } }, "nested");
    const text = lines.join("\n");
    expect(text).not.toContain("J. Doe");
    expect(text).not.toContain("Myocardial");
    expect(text).not.toMatch(/s3cret/);
    const [top, nested] = parsed();
    expect(top).toMatchObject({ case: REDACTED, options: REDACTED, caseChars: CASE.length, authorization: REDACTED });
    expect(nested).toMatchObject({ item: { case: REDACTED, options: REDACTED }, req: { caseText: REDACTED } });
  });

  it("with MEDGPT_LOG_CASE_TEXT the case text and options come through; credentials are still censored", () => {
    const { logger, lines, parsed } = capture({ logCaseText: true });
    logger.info({ case: CASE, options: OPTIONS, ...SECRETS, headers: SECRETS }, "ask");
    expect(parsed()[0]).toMatchObject({ case: CASE, options: OPTIONS, token: REDACTED, cookie: REDACTED });
    expect(lines.join("\n")).not.toMatch(/s3cret/);
  });

  it("writes one JSON object per line with the level as a word and an ISO time", () => {
    const { logger, lines, parsed } = capture({ logCaseText: false });
    logger.warn({ n: 1 }, "first");
    logger.debug("below the level: not written");
    logger.error(new Error("boom"), "second");
    expect(lines).toHaveLength(2);
    const [a, b] = parsed();
    expect(a).toMatchObject({ level: "warn", msg: "first", n: 1 });
    expect(new Date(a!.time as string).toISOString()).toBe(a!.time);
    expect(b).toMatchObject({ level: "error", msg: "second", err: { message: "boom" } });
  });
});

describe("request ids", () => {
  it("keeps a sane incoming X-Request-Id, replaces anything else with a new UUID", () => {
    for (const sane of ["abc", "req-42_x.1", "A".repeat(64), "0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9"])
      expect(requestIdFrom(sane)).toBe(sane);
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    for (const bad of [null, "", "A".repeat(65), "a b", "id\nforged: line", "<script>", "é", "a/b", "a;b"])
      expect(requestIdFrom(bad)).toMatch(uuid);
    expect(requestIdFrom(null)).not.toBe(requestIdFrom(null));
  });

  it("every line logged inside a request carries its id, also after awaits; lines outside carry none", async () => {
    const { logger, parsed } = capture({ logCaseText: false });
    logger.info("before");
    await withRequestId("req-1", async () => {
      logger.info("start");
      await new Promise((r) => setTimeout(r, 1));
      await withRequestId("req-2", async () => logger.info("inner"));
      logger.info("after");
      expect(currentRequestId()).toBe("req-1");
    });
    logger.info("outside");
    expect(parsed().map((l) => [l.msg, l.requestId])).toEqual([
      ["before", undefined],
      ["start", "req-1"],
      ["inner", "req-2"],
      ["after", "req-1"],
      ["outside", undefined],
    ]);
  });

  it("a callback bound to a request logs with its id when someone else calls it later", async () => {
    const { logger, parsed } = capture({ logCaseText: false });
    const later = withRequestId("req-bound", () => bindToRequest((n: number) => logger.info({ n }, "ended")));
    await new Promise((r) => setTimeout(r, 1));
    later(3);
    expect(parsed()[0]).toMatchObject({ requestId: "req-bound", n: 3 });
  });
});

describe("internal errors", () => {
  it("errorResponse reports an unexpected error through the logger, with the request's id and the stack", async () => {
    const logs = captureLogs();
    try {
      const res = withRequestId("req-500", () => errorResponse(new Error("database is locked")));
      expect(res.status).toBe(500);
      expect(JSON.stringify(await res.json())).not.toContain("database is locked");
      expect(logs.lines()).toMatchObject([
        { level: "error", msg: "internal error", requestId: "req-500", err: { message: "database is locked" } },
      ]);
      expect(String((logs.lines()[0]!.err as { stack: string }).stack)).toContain("log.test.ts");
    } finally {
      logs.restore();
    }
  });
});
