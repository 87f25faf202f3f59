import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { ErrorEnvelopeSchema } from "@/lib/schemas/ask";
import { ASK_URL, CASE, OPTIONS, startAskStandin } from "@/test-support/ask";
import type { OllamaStandin } from "@/test-support/ollama-standin";
import { POST } from "./route";

/**
 * Every malformed request is the client's fault: a 4xx with the JSON error envelope, never a 500 and never a
 * call to the model server.
 */

const valid = (extra: Record<string, unknown> = {}) => JSON.stringify({ case: CASE, options: OPTIONS, ...extra });
const withOptions = (options: unknown) => JSON.stringify({ case: CASE, options });
const JSON_TYPE = { "content-type": "application/json" };
const KB = 1024;

let standin: OllamaStandin;
let consoleError: ReturnType<typeof vi.spyOn>;

beforeAll(async () => {
  standin = await startAskStandin();
  consoleError = vi.spyOn(console, "error").mockImplementation(() => {});
});
afterAll(async () => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await standin.stop();
});
beforeEach(() => {
  standin.reset();
  consoleError.mockClear();
});

/** A body streamed in 16 KB chunks without Content-Length (chunked upload); `endless` never ends. */
function chunkedBody(totalBytes: number | "endless"): ReadableStream<Uint8Array> {
  let sent = 0;
  const chunk = new TextEncoder().encode(`{"case":"${"x".repeat(16 * KB)}`.slice(0, 16 * KB));
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (totalBytes !== "endless" && sent >= totalBytes) return controller.close();
      controller.enqueue(chunk);
      sent += chunk.byteLength;
    },
  });
}

type Bad = {
  name: string;
  body?: BodyInit | null;
  headers?: Record<string, string>;
  status: number;
  code: string;
  /** an issue with exactly this path must be reported */
  path?: (string | number)[];
};

/** A body the validator must refuse as 400 invalid_request, naming the field at `path`. */
const invalid = (name: string, body: string, path: (string | number)[]): Bad => ({
  name,
  body,
  status: 400,
  code: "invalid_request",
  path,
});

const bad: Bad[] = [
  // transport: content type, size, encoding, syntax
  { name: "malformed JSON", body: '{"case": "x", "options": {', status: 400, code: "invalid_json" },
  { name: "trailing garbage after JSON", body: `${valid()} x`, status: 400, code: "invalid_json" },
  { name: "empty body", body: "", status: 400, code: "invalid_json" },
  { name: "no body at all", body: null, status: 400, code: "invalid_json" },
  {
    name: "invalid UTF-8 bytes",
    body: new Uint8Array([0x7b, 0x22, 0x63, 0xff, 0xfe, 0x22, 0x7d]),
    status: 400,
    code: "invalid_json",
  },
  {
    name: "text/plain content type",
    body: valid(),
    headers: { "content-type": "text/plain" },
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "form content type",
    body: "case=x",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "lookalike content type application/jsonp",
    body: valid(),
    headers: { "content-type": "application/jsonp" },
    status: 415,
    code: "unsupported_media_type",
  },
  // A Uint8Array body gets no automatic Content-Type (a string body would get text/plain).
  {
    name: "no content type",
    body: new TextEncoder().encode(valid()),
    headers: {},
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "body over 64 KB with Content-Length",
    body: valid({ model: "x".repeat(65 * KB) }),
    headers: { ...JSON_TYPE, "content-length": String(valid({ model: "x".repeat(65 * KB) }).length) },
    status: 413,
    code: "payload_too_large",
  },
  {
    name: "body over 64 KB, Content-Length not declared",
    body: valid({ model: "x".repeat(65 * KB) }),
    status: 413,
    code: "payload_too_large",
  },
  {
    name: "body over 64 KB, chunked (no Content-Length)",
    body: chunkedBody(80 * KB),
    status: 413,
    code: "payload_too_large",
  },
  {
    name: "endless chunked body is cut off, not buffered",
    body: chunkedBody("endless"),
    status: 413,
    code: "payload_too_large",
  },
  {
    name: "Content-Length understating a body over 64 KB",
    body: valid({ model: "x".repeat(65 * KB) }),
    headers: { ...JSON_TYPE, "content-length": "100" },
    status: 413,
    code: "payload_too_large",
  },
  // top-level shape
  invalid("null body", "null", []),
  invalid("array body", "[]", []),
  invalid("number body", "42", []),
  invalid("string body", '"What is sarcoidosis?"', []),
  invalid("unknown top-level field", valid({ prompt: "ignore the options" }), ["prompt"]),
  {
    name: "__proto__ field",
    body: `{"case":"x","options":{"A":"a","B":"b"},"__proto__":{"stream":false}}`,
    status: 400,
    code: "invalid_request",
  },
  // case
  invalid("missing case", JSON.stringify({ options: OPTIONS }), ["case"]),
  invalid("empty case", JSON.stringify({ case: "", options: OPTIONS }), ["case"]),
  invalid("whitespace-only case", JSON.stringify({ case: " \n\t ", options: OPTIONS }), ["case"]),
  invalid("case over 20000 characters", JSON.stringify({ case: "x".repeat(20001), options: OPTIONS }), ["case"]),
  invalid("case not a string", JSON.stringify({ case: 42, options: OPTIONS }), ["case"]),
  invalid("case null", JSON.stringify({ case: null, options: OPTIONS }), ["case"]),
  // options
  invalid("options missing", JSON.stringify({ case: CASE }), ["options"]),
  invalid("options a string", withOptions("A) Asthma B) Sarcoidosis"), ["options"]),
  invalid("options an array", withOptions(["Asthma", "Sarcoidosis"]), ["options"]),
  invalid("options null", withOptions(null), ["options"]),
  invalid("only option A", withOptions({ A: "Asthma" }), ["options", "B"]),
  invalid("A and C without B", withOptions({ A: "Asthma", C: "Tuberculosis" }), ["options", "B"]),
  invalid("A, B, D without C (gap)", withOptions({ A: "Asthma", B: "Sarcoidosis", D: "GERD" }), ["options", "D"]),
  invalid("empty option text", withOptions({ A: "Asthma", B: "" }), ["options", "B"]),
  invalid("whitespace-only option text", withOptions({ A: "  ", B: "Sarcoidosis" }), ["options", "A"]),
  invalid("option not a string", withOptions({ A: "Asthma", B: 2 }), ["options", "B"]),
  invalid("option text over 2000 characters", withOptions({ A: "x".repeat(2001), B: "b" }), ["options", "A"]),
  invalid("option key F", withOptions({ ...OPTIONS, D: "d", E: "e", F: "f" }), ["options", "F"]),
  invalid("lowercase option keys", withOptions({ a: "Asthma", b: "Sarcoidosis" }), ["options", "A"]),
  // model / stream / sampling
  invalid("model empty", valid({ model: "" }), ["model"]),
  invalid("model with spaces", valid({ model: "my model" }), ["model"]),
  invalid("model with a URL-ish name", valid({ model: "http://evil?x=1" }), ["model"]),
  invalid("model not a string", valid({ model: 7 }), ["model"]),
  invalid('stream "yes"', valid({ stream: "yes" }), ["stream"]),
  invalid("seed -1", valid({ seed: -1 }), ["seed"]),
  invalid("seed 1.5", valid({ seed: 1.5 }), ["seed"]),
  invalid("seed 2^31", valid({ seed: 2 ** 31 }), ["seed"]),
  invalid("seed as a string", valid({ seed: "42" }), ["seed"]),
  invalid("seed 1e400 (Infinity)", `{"case":"x","options":{"A":"a","B":"b"},"seed":1e400}`, ["seed"]),
  invalid("temperature 3", valid({ temperature: 3 }), ["temperature"]),
  invalid("temperature -0.1", valid({ temperature: -0.1 }), ["temperature"]),
  invalid("temperature 1e400 (Infinity)", `{"case":"x","options":{"A":"a","B":"b"},"temperature":1e400}`, [
    "temperature",
  ]),
  invalid("maxTokens 0", valid({ maxTokens: 0 }), ["maxTokens"]),
  invalid("maxTokens 5000", valid({ maxTokens: 5000 }), ["maxTokens"]),
  invalid("maxTokens 10.5", valid({ maxTokens: 10.5 }), ["maxTokens"]),
  {
    name: "upload that breaks off midway",
    body: new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"case": "'));
        controller.error(new Error("socket hang up"));
      },
    }),
    status: 400,
    code: "invalid_json",
  },
  invalid("deeply nested JSON", `${"[".repeat(20000)}${"]".repeat(20000)}`, []),
];

function requestFor(b: Bad): Request {
  const init: RequestInit & { duplex?: "half" } = {
    method: "POST",
    headers: b.headers ?? JSON_TYPE,
    body: b.body,
  };
  if (b.body instanceof ReadableStream) init.duplex = "half";
  return new Request(ASK_URL, init);
}

describe("POST /api/ask rejects bad requests with a 4xx JSON error", () => {
  it("has a broad table", () => {
    expect(bad.length).toBeGreaterThanOrEqual(30);
  });

  it.each(bad)("$name → $status $code", async (b) => {
    const res = await POST(requestFor(b));
    expect(res.status).toBe(b.status);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const { error } = ErrorEnvelopeSchema.parse(await res.json());
    expect(error.code).toBe(b.code);
    expect(error.message.length).toBeGreaterThan(0);
    expect(error.fix).toBeTruthy();
    if (b.code === "invalid_request") {
      expect(error.issues?.length).toBeGreaterThan(0);
      for (const issue of error.issues!) expect(issue.message.length).toBeGreaterThan(0);
    }
    if (b.path) expect(error.issues?.map((i) => i.path)).toContainEqual(b.path);
    expect(standin.requests.filter((r) => r.path === "/api/generate" || r.path === "/api/chat")).toEqual([]);
    expect(consoleError).not.toHaveBeenCalled();
  });
});

describe("error details a client can act on", () => {
  it("the message names the first bad field", async () => {
    const res = await POST(requestFor({ name: "", body: valid({ temperature: 3 }), status: 400, code: "" }));
    const { error } = ErrorEnvelopeSchema.parse(await res.json());
    expect(error.message).toMatch(/^Invalid request: temperature: /);
    expect(error.issues).toEqual([{ path: ["temperature"], message: expect.any(String) }]);
  });

  it("an unknown field is named in the issue message", async () => {
    const res = await POST(requestFor({ name: "", body: valid({ prompt: "x" }), status: 400, code: "" }));
    const { error } = ErrorEnvelopeSchema.parse(await res.json());
    expect(error.issues?.map((i) => i.message).join(" ")).toContain("prompt");
  });

  it("the gap case says which letter is missing", async () => {
    const res = await POST(
      requestFor({ name: "", body: withOptions({ A: "a", B: "b", D: "d" }), status: 400, code: "" }),
    );
    const { error } = ErrorEnvelopeSchema.parse(await res.json());
    expect(error.issues).toEqual([{ path: ["options", "D"], message: expect.stringContaining("C is missing") }]);
  });

  it("every field error is reported at once, not only the first", async () => {
    const res = await POST(
      requestFor({
        name: "",
        body: JSON.stringify({ case: "", options: { A: "a", B: "b" }, seed: -1, temperature: 9 }),
        status: 400,
        code: "",
      }),
    );
    const { error } = ErrorEnvelopeSchema.parse(await res.json());
    expect(error.issues?.map((i) => i.path)).toEqual(expect.arrayContaining([["case"], ["seed"], ["temperature"]]));
  });
});

describe("near-misses that are valid are not rejected (the validator is not over-strict)", () => {
  const ok: { name: string; body: string; headers?: Record<string, string> }[] = [
    {
      name: "content type with charset",
      body: valid({ stream: false }),
      headers: { "content-type": "application/json; charset=utf-8" },
    },
    {
      name: "upper-case content type",
      body: valid({ stream: false }),
      headers: { "content-type": "Application/JSON" },
    },
    {
      name: "+json content type",
      body: valid({ stream: false }),
      headers: { "content-type": "application/vnd.medgpt+json" },
    },
    { name: "UTF-8 BOM before the JSON", body: `\uFEFF${valid({ stream: false })}` },
    {
      name: "case with surrounding whitespace",
      body: JSON.stringify({ case: `  ${CASE}\n`, options: OPTIONS, stream: false }),
    },
    { name: "boundary values", body: valid({ stream: false, seed: 2 ** 31 - 1, temperature: 2, maxTokens: 4096 }) },
    { name: "model with tag and namespace", body: valid({ stream: false, model: "mrizwank97/medgpt:latest" }) },
  ];
  it.each(ok)("$name → 200", async ({ body, headers }) => {
    const res = await POST(new Request(ASK_URL, { method: "POST", headers: headers ?? JSON_TYPE, body }));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { answer: { letter: string } | null }).answer?.letter).toBe("B");
  });

  it("a body of exactly 64 KB is accepted; one byte more is 413", async () => {
    const json = valid({ stream: false });
    const exact = json + " ".repeat(64 * KB - json.length); // JSON allows trailing whitespace
    const res = await POST(new Request(ASK_URL, { method: "POST", headers: JSON_TYPE, body: exact }));
    expect(res.status).toBe(200);
    await res.json();
    const over = await POST(new Request(ASK_URL, { method: "POST", headers: JSON_TYPE, body: `${exact} ` }));
    expect(over.status).toBe(413);
  });
});
