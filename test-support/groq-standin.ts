/**
 * Groq stand-in: a node:http server on 127.0.0.1 speaking the part of Groq's OpenAI-compatible API that the judge
 * uses, so tests run the real groq-sdk (1.6.0) against it by passing `baseURL: standin.url`.
 *
 * - POST /openai/v1/chat/completions (non-streaming) with Groq's full response shape, including `x_groq` and `usage`;
 * - GET /openai/v1/models and /openai/v1/models/{id};
 * - Groq's error bodies `{"error": {"message", "type", "code"?}}`: 401 without a bearer key, 404 unknown model,
 *   400 when json_object mode is asked for but no message mentions JSON (Groq's own check);
 * - each chat request takes the next queued reply (`enqueue`), else the responder (`respondWith`), else a default
 *   verdict — so a test scripts "429, 429, then a verdict" in one line.
 *
 * Error texts follow what Groq sends as of 2025–2026; 5xx bodies are approximations (Groq's vary).
 */
import { randomUUID } from "node:crypto";
import type http from "node:http";
import { isRecord, parseJsonOrText, readBody, sendJson, StandinServer, Waiters } from "./standin-core";
import { ReplyTracker, type ReplyStats } from "./standin-replies";

export type GroqStandinReply =
  /** 200 whose content is `{"score", "explanation"}` as JSON; `score` is sent as given (e.g. "4" or 3.5). */
  | { kind: "verdict"; score: unknown; explanation?: string; reasoning?: string }
  /** 200 with this exact content (malformed JSON, prose, empty); finishReason "length" for a cut-off reply. */
  | { kind: "content"; content: string | null; finishReason?: "stop" | "length"; reasoning?: string }
  /** 429 rate_limit_exceeded; retryAfter is the header value in seconds as Groq sends it (e.g. "7" or "86400"). */
  | {
      kind: "rateLimit";
      retryAfter?: string;
      retryAfterMs?: string;
      limitType?: "tokens" | "requests";
      message?: string;
    }
  /** 5xx (default 500) with a Groq-style error body. */
  | { kind: "serverError"; status?: number; message?: string }
  /** 400 json_validate_failed; failedGeneration is the model text Groq rejected (omitted when undefined). */
  | { kind: "jsonValidateFailed"; failedGeneration?: string; message?: string }
  /** Any status and body, for cases not above (e.g. 401, 413, 498). */
  | { kind: "status"; status: number; body: unknown; headers?: Record<string, string> }
  /** Accept and never answer (abort and timeout tests). */
  | { kind: "hang" }
  /** Destroy the socket without a response: the client sees a connection error. */
  | { kind: "drop" };

export type GroqStandinRequest = {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** parsed JSON, or the raw text when not JSON, or undefined for GET */
  body: unknown;
  /** the reply this request got (chat completions only) */
  reply?: GroqStandinReply["kind"];
};

export type GroqResponder = (request: GroqStandinRequest, index: number) => GroqStandinReply;

export type GroqStandinOptions = {
  /** 0 = random (default) */
  port?: number;
  /** default ["openai/gpt-oss-120b", "openai/gpt-oss-20b"] */
  models?: string[];
  /** Bearer key the stand-in insists on; default: any non-empty key, like an always-valid account. */
  apiKey?: string;
};

export type GroqStandin = {
  /** http://127.0.0.1:PORT — pass as groq-sdk's baseURL (it appends /openai/v1/...) */
  url: string;
  port: number;
  /** Replies for the next chat requests, first in first out. */
  enqueue(...replies: GroqStandinReply[]): void;
  /** Used when the queue is empty; null → the default verdict. */
  respondWith(responder: GroqResponder | null): void;
  /** every request seen, in order */
  requests: GroqStandinRequest[];
  /** the chat-completion requests only */
  chatRequests(): GroqStandinRequest[];
  /** chat counters: aborted = the client went away before the reply was sent */
  stats: ReplyStats;
  /** Resolves once `n` chat requests have arrived (e.g. before aborting a hung one). Rejects after timeoutMs. */
  waitForChatRequests(n: number, timeoutMs?: number): Promise<void>;
  /** Clears queue, responder, requests and stats. */
  reset(): void;
  stop(): Promise<void>;
};

export const GROQ_STANDIN_MODELS = ["openai/gpt-oss-120b", "openai/gpt-oss-20b"] as const;
export const DEFAULT_STANDIN_VERDICT: GroqStandinReply = {
  kind: "verdict",
  score: 4,
  explanation: "Stand-in default verdict.",
};

const CHAT_PATH = "/openai/v1/chat/completions";
const MODELS_PATH = "/openai/v1/models";

type ErrorBody = { error: { message: string; type: string; code?: string; failed_generation?: string } };

const groqError = (message: string, type: string, code?: string, extra: Record<string, string> = {}): ErrorBody => ({
  error: { message, type, ...(code ? { code } : {}), ...extra },
});
/** Groq's 404 for a model id it does not serve (or the key may not use). */
const modelNotFound = (id: string): ErrorBody =>
  groqError(
    `The model \`${id}\` does not exist or you do not have access to it.`,
    "invalid_request_error",
    "model_not_found",
  );

function rateLimitHeaders(remainingRequests: number, remainingTokens: number): Record<string, string> {
  return {
    "x-ratelimit-limit-requests": "1000",
    "x-ratelimit-limit-tokens": "250000",
    "x-ratelimit-remaining-requests": String(remainingRequests),
    "x-ratelimit-remaining-tokens": String(remainingTokens),
    "x-ratelimit-reset-requests": "1m26.4s",
    "x-ratelimit-reset-tokens": "7.66s",
  };
}

const send = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  sendJson(res, status, body, { "x-request-id": `req_${randomUUID().replace(/-/g, "").slice(0, 26)}`, ...headers });

const approxTokens = (s: string) => Math.max(1, Math.ceil(s.length / 4));

function messagesText(body: Record<string, unknown>): string {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  return messages.map((m) => (isRecord(m) && typeof m.content === "string" ? m.content : "")).join("\n");
}

function completion(model: string, prompt: string, content: string | null, finishReason: string, reasoning?: string) {
  const promptTokens = approxTokens(prompt);
  const completionTokens = approxTokens((content ?? "") + (reasoning ?? ""));
  const message: Record<string, unknown> = { role: "assistant", content };
  if (reasoning !== undefined) message.reasoning = reasoning;
  return {
    id: `chatcmpl-${randomUUID()}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
    usage: {
      queue_time: 0.0123,
      prompt_tokens: promptTokens,
      prompt_time: 0.0041,
      completion_tokens: completionTokens,
      completion_time: Number((completionTokens / 500).toFixed(4)),
      total_tokens: promptTokens + completionTokens,
      total_time: Number((0.0041 + completionTokens / 500).toFixed(4)),
    },
    usage_breakdown: null,
    system_fingerprint: "fp_standin",
    x_groq: { id: `req_${randomUUID().replace(/-/g, "").slice(0, 26)}` },
    service_tier: "on_demand",
  };
}

function describeModel(id: string) {
  return {
    id,
    object: "model",
    created: 1754408224,
    owned_by: id.startsWith("openai/") ? "OpenAI" : "Groq",
    active: true,
    context_window: 131072,
    public_apps: null,
    max_completion_tokens: 65536,
  };
}

export async function startGroqStandin(opts: GroqStandinOptions = {}): Promise<GroqStandin> {
  const models = [...(opts.models ?? GROQ_STANDIN_MODELS)];
  const queue: GroqStandinReply[] = [];
  let responder: GroqResponder | null = null;
  const requests: GroqStandinRequest[] = [];
  const tracker = new ReplyTracker("groq stand-in");
  const arrivals = new Waiters();
  let chatIndex = 0;

  const chatCount = () => requests.filter((r) => r.path === CHAT_PATH && r.method === "POST").length;

  function authorised(req: http.IncomingMessage, res: http.ServerResponse): boolean {
    const header = req.headers.authorization ?? "";
    const key = header.startsWith("Bearer ") ? header.slice("Bearer ".length).trim() : "";
    if (key !== "" && (opts.apiKey === undefined || key === opts.apiKey)) return true;
    send(res, 401, groqError("Invalid API Key", "invalid_request_error", "invalid_api_key"));
    return false;
  }

  function nextReply(request: GroqStandinRequest): GroqStandinReply {
    const index = chatIndex++;
    const queued = queue.shift();
    if (queued) return queued;
    return responder ? responder(request, index) : DEFAULT_STANDIN_VERDICT;
  }

  function handleChat(request: GroqStandinRequest, res: http.ServerResponse) {
    const body = request.body;
    if (!isRecord(body))
      return send(res, 400, groqError("'messages' : property 'messages' is missing", "invalid_request_error"));
    const model = typeof body.model === "string" ? body.model : "";
    if (!models.includes(model)) {
      return send(res, 404, modelNotFound(model));
    }
    if (!Array.isArray(body.messages) || body.messages.length === 0) {
      return send(res, 400, groqError("'messages' : minimum number of items is 1", "invalid_request_error"));
    }
    const prompt = messagesText(body);
    const format = isRecord(body.response_format) ? body.response_format.type : undefined;
    if (format === "json_object" && !/json/i.test(prompt)) {
      return send(
        res,
        400,
        groqError(
          "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
          "invalid_request_error",
        ),
      );
    }
    if (body.stream === true)
      return send(res, 400, groqError("the Groq stand-in does not stream", "invalid_request_error"));

    const reply = nextReply(request);
    request.reply = reply.kind;
    const tracked = tracker.track(res);
    res.on("finish", () => (tracked.finished = true));

    switch (reply.kind) {
      case "verdict": {
        const content = JSON.stringify({
          score: reply.score,
          ...(reply.explanation !== undefined ? { explanation: reply.explanation } : {}),
        });
        return send(
          res,
          200,
          completion(model, prompt, content, "stop", reply.reasoning),
          rateLimitHeaders(999, 248000),
        );
      }
      case "content":
        return send(
          res,
          200,
          completion(model, prompt, reply.content, reply.finishReason ?? "stop", reply.reasoning),
          rateLimitHeaders(999, 248000),
        );
      case "rateLimit": {
        const waitS =
          reply.retryAfterMs !== undefined ? Number(reply.retryAfterMs) / 1000 : Number(reply.retryAfter ?? "7");
        const type = reply.limitType ?? "tokens";
        const message =
          reply.message ??
          `Rate limit reached for model \`${model}\` in organization \`org_standin\` service tier \`on_demand\` on ${type === "tokens" ? "tokens per minute (TPM): Limit 8000, Used 7791, Requested 1206" : "requests per day (RPD): Limit 1000, Used 1000, Requested 1"}. Please try again in ${waitS}s. Need more tokens? Upgrade to Dev Tier today at https://console.groq.com/settings/billing`;
        const headers: Record<string, string> = { ...rateLimitHeaders(0, 0) };
        if (reply.retryAfter !== undefined) headers["retry-after"] = reply.retryAfter;
        if (reply.retryAfterMs !== undefined) headers["retry-after-ms"] = reply.retryAfterMs;
        return send(res, 429, groqError(message, type, "rate_limit_exceeded"), headers);
      }
      case "serverError": {
        const status = reply.status ?? 500;
        const message = reply.message ?? (status === 503 ? "Service Unavailable" : "Internal Server Error");
        return send(res, status, groqError(message, "internal_server_error"));
      }
      case "jsonValidateFailed": {
        const extra = reply.failedGeneration !== undefined ? { failed_generation: reply.failedGeneration } : undefined;
        const message =
          reply.message ??
          "Failed to generate JSON. Please adjust your prompt. See 'failed_generation' for more details.";
        return send(res, 400, groqError(message, "invalid_request_error", "json_validate_failed", extra));
      }
      case "status":
        return send(res, reply.status, reply.body, reply.headers);
      case "hang":
        return;
      case "drop":
        res.socket?.destroy();
        return;
    }
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const method = req.method ?? "GET";
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const body = parseJsonOrText(method === "GET" ? "" : await readBody(req));
    const request: GroqStandinRequest = { method, path, headers: req.headers, body };
    requests.push(request);
    arrivals.notify();

    if (!authorised(req, res)) return;
    if (method === "POST" && path === CHAT_PATH) {
      if (typeof body === "string")
        return send(res, 400, groqError("We could not parse the JSON body of your request.", "invalid_request_error"));
      return handleChat(request, res);
    }
    if (method === "GET" && path === MODELS_PATH)
      return send(res, 200, { object: "list", data: models.map(describeModel) });
    if (method === "GET" && path.startsWith(`${MODELS_PATH}/`)) {
      const id = decodeURIComponent(path.slice(MODELS_PATH.length + 1));
      if (models.includes(id)) return send(res, 200, describeModel(id));
      return send(res, 404, modelNotFound(id));
    }
    return send(
      res,
      404,
      groqError(
        `Unknown request URL: ${method} ${path}. Please check the URL for typos, or see the docs at https://console.groq.com/docs/`,
        "invalid_request_error",
        "unknown_url",
      ),
    );
  }

  const server = await StandinServer.start(
    (req, res) => {
      handle(req, res).catch((err: unknown) => {
        if (!res.headersSent)
          send(res, 500, groqError(err instanceof Error ? err.message : String(err), "internal_server_error"));
        else res.destroy();
      });
    },
    { port: opts.port },
  );

  return {
    url: server.url,
    port: server.port,
    requests,
    stats: tracker.stats,
    enqueue(...replies) {
      queue.push(...replies);
    },
    respondWith(r) {
      responder = r;
    },
    chatRequests: () => requests.filter((r) => r.path === CHAT_PATH && r.method === "POST"),
    waitForChatRequests: (n, timeoutMs = 5000) =>
      arrivals.until(
        () => chatCount() >= n,
        timeoutMs,
        () => new Error(`groq stand-in: ${chatCount()} chat requests after ${timeoutMs} ms, expected ${n}`),
      ),
    reset() {
      queue.length = 0;
      responder = null;
      requests.length = 0;
      chatIndex = 0;
      tracker.reset();
    },
    stop: () => server.stop(),
  };
}
