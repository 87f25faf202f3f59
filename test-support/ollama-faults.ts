/** The faults the Ollama stand-in can be switched to, and their validation for the control endpoint and the CLI. */

export type OllamaFault =
  | { kind: "none" }
  /** generate/chat answer 500 {"error":"..."} before streaming */
  | { kind: "http500" }
  /** arbitrary pre-stream status (e.g. 503 server busy, 400) */
  | { kind: "status"; status: number; error: string }
  /**
   * destroy the socket after N chunks (no done). With N = 0, or stream:false, no headers were sent yet, so the
   * client's fetch itself fails (TypeError fetch failed, cause UND_ERR_SOCKET); otherwise its iteration throws.
   */
  | { kind: "dieMidStream"; afterChunks: number }
  /** emit {"error":"..."} line after N chunks, status stays 200; with stream:false → 500 {"error"} like Ollama */
  | { kind: "errorLineMidStream"; afterChunks: number; error: string }
  /** accept request and never respond (for timeout tests) */
  | { kind: "hangBeforeHeaders" };

const FAULT_KINDS = ["none", "http500", "status", "dieMidStream", "errorLineMidStream", "hangBeforeHeaders"] as const;

/** Validates an untrusted fault (control endpoint, CLI). Throws on a malformed one. */
export function parseFault(x: unknown): OllamaFault {
  if (typeof x === "string") x = { kind: x };
  if (typeof x !== "object" || x === null) throw new Error("fault must be an object with a kind");
  const f = x as Record<string, unknown>;
  const kind = f.kind;
  const int = (k: string) => {
    const v = f[k];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0)
      throw new Error(`fault.${k} must be a non-negative integer`);
    return v;
  };
  const str = (k: string) => {
    const v = f[k];
    if (typeof v !== "string") throw new Error(`fault.${k} must be a string`);
    return v;
  };
  switch (kind) {
    case "none":
    case "http500":
    case "hangBeforeHeaders":
      return { kind };
    case "status": {
      const status = int("status");
      if (status < 400 || status > 599) throw new Error("fault.status must be 400..599");
      return { kind, status, error: str("error") };
    }
    case "dieMidStream":
      return { kind, afterChunks: int("afterChunks") };
    case "errorLineMidStream":
      return { kind, afterChunks: int("afterChunks"), error: str("error") };
    default:
      throw new Error(`fault.kind must be one of ${FAULT_KINDS.join(", ")}`);
  }
}
