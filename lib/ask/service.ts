import "server-only";
import type { AppConfig } from "@/lib/config";
import { parseAnswer } from "@/lib/answer";
import { optionProbabilities, type TokenChoice } from "@/lib/answer/confidence";
import { buildPrompt, resolvePromptFormat } from "@/lib/prompt";
import type { AskEvent, AskRequest, AskResponse, Timings } from "@/lib/schemas/ask";
import type { GenerateStats, InferenceBackend } from "@/lib/inference/types";
import type { SseEvent } from "@/lib/sse/response";

export type AskDeps = { backend: InferenceBackend; config: AppConfig };

/** Alternatives asked for at each token: enough to see every option letter that has any real weight. */
const TOP_LOGPROBS = 10;

function computeTimings(startedAt: number, firstTokenAt: number | null, stats: GenerateStats | null): Timings {
  const now = performance.now();
  const evalCount = stats?.evalCount ?? null;
  // Prefer the server's own generation time; fall back to wall time after the first token.
  const genMs = stats?.evalMs ?? (firstTokenAt !== null ? now - firstTokenAt : null);
  return {
    firstTokenMs: firstTokenAt !== null ? Math.round(firstTokenAt - startedAt) : null,
    totalMs: Math.round(now - startedAt),
    evalCount,
    tokensPerSecond: evalCount !== null && genMs ? Math.round((evalCount / genMs) * 1000 * 10) / 10 : null,
  };
}

/**
 * The reply's tokens as far as the backend measured them: every token, or — from a backend that measured only the
 * answer step — that token between the text before and after it.
 */
export function tokensFor(raw: string, tokens: TokenChoice[], stats: GenerateStats | null): TokenChoice[] {
  if (tokens.length > 0 || !stats?.answerStep) return tokens;
  const { step, offset } = stats.answerStep;
  if (raw.slice(offset, offset + step.token.length) !== step.token) return [];
  const filler = (token: string) => ({ token, logprob: 0, top: [] });
  return [filler(raw.slice(0, offset)), step, filler(raw.slice(offset + step.token.length))];
}

/**
 * Answers one question: builds the model's prompt, streams the reply, then parses it.
 * Yields token events, then `answer`, then `done`. Throws AppError; the caller decides how to report it.
 * `onDone` hears the `done` event's data once, at the end (the route's log line and metrics).
 */
export async function* askStream(
  req: AskRequest,
  deps: AskDeps,
  signal: AbortSignal,
  onDone?: (done: Extract<AskEvent, { event: "done" }>["data"]) => void,
): AsyncGenerator<AskEvent> {
  const { backend, config } = deps;
  const model = req.model ?? config.defaultModel;
  const prompt = buildPrompt(resolvePromptFormat(model, config.promptFormats), req.case, req.options);
  const startedAt = performance.now();
  let firstTokenAt: number | null = null;
  let stats: GenerateStats | null = null;
  let raw = "";
  const tokens: TokenChoice[] = [];
  let tokensComplete = true;

  const generation = backend.generate(
    {
      model,
      prompt,
      options: {
        maxTokens: req.maxTokens ?? config.maxTokens,
        seed: req.seed,
        temperature: req.temperature,
        topP: config.topP,
        numCtx: config.numCtx,
        topLogprobs: TOP_LOGPROBS,
      },
    },
    signal,
  );
  for await (const ev of generation) {
    if (ev.type === "done") {
      stats = ev.stats;
      break;
    }
    firstTokenAt ??= performance.now();
    raw += ev.text;
    // Probabilities are read only when every piece of text came with its tokens; a gap would misplace the answer.
    if (ev.logprobs) tokens.push(...ev.logprobs);
    else if (ev.text !== "") tokensComplete = false;
    yield { event: "token", data: { text: ev.text } };
  }

  const parsed = parseAnswer(raw, req.options);
  const letter = parsed.answer?.letter ?? null;
  const odds = optionProbabilities(tokensFor(raw, tokensComplete ? tokens : [], stats), raw, letter, req.options);
  yield {
    event: "answer",
    data: {
      letter,
      text: parsed.answer?.text ?? null,
      confidence: odds?.confidence ?? null,
      probabilities: odds?.probabilities ?? null,
      analysis: parsed.analysis,
      formatOk: parsed.formatOk,
    },
  };
  const done = {
    model,
    backend: stats?.backend ?? backend.name,
    timings: computeTimings(startedAt, firstTokenAt, stats),
  };
  onDone?.(done);
  yield { event: "done", data: done };
}

/** Two token events waiting side by side, as one (see sseResponse): the client sees the same text, in fewer events. */
export function mergeTokenEvents(earlier: SseEvent, later: SseEvent): SseEvent | null {
  if (earlier.event !== "token" || later.event !== "token") return null;
  const text = (earlier.data as { text: string }).text + (later.data as { text: string }).text;
  return { event: "token", data: { text } };
}

/** The whole answer at once (stream: false, and the eval runner). */
export async function askOnce(req: AskRequest, deps: AskDeps, signal: AbortSignal): Promise<AskResponse> {
  let raw = "";
  let answer: Extract<AskEvent, { event: "answer" }>["data"] | null = null;
  for await (const ev of askStream(req, deps, signal)) {
    if (ev.event === "token") raw += ev.data.text;
    else if (ev.event === "answer") answer = ev.data;
    else if (ev.event === "done") {
      return {
        answer: answer ?? {
          letter: null,
          text: null,
          confidence: null,
          probabilities: null,
          analysis: "",
          formatOk: false,
        },
        analysis: answer?.analysis ?? "",
        raw,
        formatOk: answer?.formatOk ?? false,
        model: ev.data.model,
        backend: ev.data.backend,
        timings: ev.data.timings,
      };
    }
  }
  throw new Error("ask stream ended without a done event");
}
