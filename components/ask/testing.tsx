import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { ConfidenceThresholds } from "@/lib/confidence";
import type { Answer } from "@/lib/schemas/ask";
import type { HealthResponse } from "@/lib/schemas/service";
import { healthBody } from "@/components/health-test-data";
import { json, renderPage, serveApi, type ApiCall } from "@/components/test-utils";
import { AskForm } from "./ask-form";
import { BackendBanner } from "./backend-banner";

// What the clinician page's render tests share: the page as app/page.tsx assembles it, its API answered per URL,
// and event streams that a test feeds frame by frame.

export const THRESHOLDS: ConfidenceThresholds = { high: 0.8, moderate: 0.5 };

export const frame = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

export const answerFrame = (over: Partial<Answer> = {}) =>
  frame("answer", {
    letter: "B",
    text: "Tension headache",
    confidence: 0.74,
    probabilities: { A: 0.2, B: 0.74, C: 0.06 },
    analysis: "Bilateral, band-like pain without aura.\n\nNo red flags.",
    formatOk: true,
    ...over,
  } satisfies Answer);

export const doneFrame = (
  over: { evalCount?: number | null; tokensPerSecond?: number | null; totalMs?: number } = {},
) =>
  frame("done", {
    model: "mrizwank97/medgpt",
    backend: "ollama",
    timings: { firstTokenMs: 120, totalMs: 2400, evalCount: 60, tokensPerSecond: 25, ...over },
  });

export const REPLY_TOKENS = [
  "<analysis>",
  "Bilateral, band-like pain",
  " without aura.\n\nNo red flags.",
  "</analysis>\n<answer>\nB: Tension headache\n</answer>",
];

/**
 * An event stream the test feeds: `push` sends frames, `end` closes it. Aborting the request errors the body, as the
 * browser's fetch does.
 */
export function liveStream() {
  const bytes = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
  });
  return {
    respond(call: ApiCall): Response {
      call.signal?.addEventListener("abort", () => {
        if (!closed) controller.error(new DOMException("The operation was aborted.", "AbortError"));
        closed = true;
      });
      return new Response(body, { headers: { "content-type": "text/event-stream" } });
    },
    push(...frames: string[]) {
      for (const f of frames) controller.enqueue(bytes.encode(f));
    },
    end() {
      closed = true;
      controller.close();
    },
  };
}

/** A finished event stream of `frames`. */
export function sse(frames: string[]): Response {
  const bytes = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const f of frames) controller.enqueue(bytes.encode(f));
      controller.close();
    },
  });
  return new Response(body, { headers: { "content-type": "text/event-stream" } });
}

/** A whole reply: tokens, then the answer and the timings. */
export const fullReply = (answer: Partial<Answer> = {}) => [
  ...REPLY_TOKENS.map((text) => frame("token", { text })),
  answerFrame(answer),
  doneFrame(),
];

export { healthBody };

export const MODELS = {
  backend: "ollama",
  defaultModel: "mrizwank97/medgpt",
  models: [
    {
      name: "mrizwank97/medgpt:latest",
      sizeBytes: 1,
      family: "gemma2",
      parameterSize: "2.6B",
      quantization: "Q4_K_M",
      label: "MedGPT",
      description: "Gemma 2 2B fine-tuned on about 3,700 USMLE-style cases with reasoning.",
      comparison: false,
    },
    {
      name: "gemma2:2b",
      sizeBytes: 1,
      family: "gemma2",
      parameterSize: "2.6B",
      quantization: "Q4_K_M",
      label: "Gemma 2 2B (base)",
      description: "The untuned base model, for comparison only; not trained for this task.",
      comparison: true,
    },
  ],
};

/** The page's API: health (ok unless given), models, and /api/ask answered by `ask`. */
export function servePage({
  ask = () => sse(fullReply()),
  health = healthBody(),
  models = MODELS,
}: {
  ask?: (call: ApiCall) => Response;
  health?: HealthResponse;
  models?: unknown;
} = {}) {
  return serveApi((call) => {
    if (call.path === "/api/health") return json(health, health.status === "unavailable" ? 503 : 200);
    if (call.path === "/api/models") return json(models);
    if (call.path === "/api/ask" && call.method === "POST") return ask(call);
    return undefined;
  });
}

/** The page below its title, as app/page.tsx renders it. */
export function renderAskPage() {
  return renderPage(
    <>
      <BackendBanner />
      <AskForm
        defaultModel="mrizwank97/medgpt"
        defaultModelDescription={{
          label: "MedGPT",
          description: "Gemma 2 2B fine-tuned on about 3,700 USMLE-style cases with reasoning.",
          comparison: false,
        }}
        thresholds={THRESHOLDS}
      />
    </>,
  );
}

export const CASE = "A 40-year-old man has a headache. Which is most likely?";

export async function fillQuestion(options: string[] = ["Migraine", "Tension headache", "Cluster headache"]) {
  const user = userEvent.setup();
  await user.type(screen.getByLabelText("Clinical case"), CASE);
  for (const [i, text] of options.entries()) await user.type(screen.getByLabelText("ABCDE"[i]!), text);
  return user;
}

export const askCalls = (calls: ApiCall[]) => calls.filter((c) => c.path === "/api/ask");
export const askButton = () => screen.getByRole("button", { name: "Ask" }) as HTMLButtonElement;
export const liveStatus = () => screen.getByTestId("ask-status").textContent;
