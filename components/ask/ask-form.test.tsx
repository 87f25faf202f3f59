import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { json, renderPage, serveApi, type ApiCall } from "@/components/test-utils";
import { AskForm } from "./ask-form";

const frame = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

const ANSWER = frame("answer", {
  letter: "B",
  text: "Tension headache",
  analysis: "Bilateral, band-like.",
  formatOk: true,
});
const DONE = frame("done", {
  model: "medgpt",
  backend: "ollama",
  timings: { firstTokenMs: 120, totalMs: 2400, evalCount: 60, tokensPerSecond: 25 },
});

/**
 * An event stream of `frames`; with `hold` it stays open, as a model still reasoning does, until the request is
 * aborted (which errors the body, as the browser's fetch does).
 */
function sse(frames: string[], call: ApiCall, hold = false): Response {
  const bytes = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const f of frames) controller.enqueue(bytes.encode(f));
      if (!hold) return controller.close();
      call.signal?.addEventListener("abort", () =>
        controller.error(new DOMException("The operation was aborted.", "AbortError")),
      );
    },
  });
  return new Response(body, { headers: { "content-type": "text/event-stream" } });
}

/** The clinician page's API: models, and /api/ask answering with `ask` (the health line is left unanswered). */
function serve(ask: (call: ApiCall) => Response = (call) => sse([], call, true)) {
  return serveApi((call) => {
    if (call.path === "/api/models") return json({ backend: "ollama", defaultModel: "medgpt", models: [] });
    if (call.path === "/api/ask" && call.method === "POST") return ask(call);
    return undefined;
  });
}

const askCalls = (calls: ApiCall[]) => calls.filter((c) => c.path === "/api/ask");
const askButton = () => screen.getByRole("button", { name: "Ask" }) as HTMLButtonElement;
const stopButton = () => screen.getByRole("button", { name: "Stop" }) as HTMLButtonElement;

async function fillQuestion(options: string[]) {
  const user = userEvent.setup();
  await user.type(screen.getByLabelText("Clinical case"), "A 40-year-old man has a headache. Which is most likely?");
  for (const [i, text] of options.entries()) await user.type(screen.getByLabelText("ABCDE"[i]!), text);
  return user;
}

describe("AskForm", () => {
  it("can be asked, not stopped, before anything is running", () => {
    serve();
    renderPage(<AskForm defaultModel="medgpt" />);
    expect(askButton().disabled).toBe(false);
    expect(stopButton().disabled).toBe(true);
    expect(screen.getByText("Press Ctrl+Enter (⌘+Enter on Mac) to ask.")).toBeTruthy();
  });

  it("reports an empty case under the case box, in place of the hint, and sends nothing", async () => {
    const calls = serve();
    renderPage(<AskForm defaultModel="medgpt" />);

    await userEvent.click(askButton());

    const caseBox = screen.getByLabelText("Clinical case");
    expect(caseBox.getAttribute("aria-invalid")).toBe("true");
    expect(document.getElementById(caseBox.getAttribute("aria-describedby")!)?.textContent).toBe(
      "case must not be empty",
    );
    expect(screen.queryByText("Press Ctrl+Enter (⌘+Enter on Mac) to ask.")).toBeNull();
    expect(askCalls(calls)).toEqual([]);
  });

  it("asks for option B when only A is filled in", async () => {
    const calls = serve();
    renderPage(<AskForm defaultModel="medgpt" />);
    const user = await fillQuestion(["Migraine"]);

    await user.click(askButton());

    const optionB = screen.getByLabelText("B");
    expect(optionB.getAttribute("aria-invalid")).toBe("true");
    expect(document.getElementById("option-B-error")?.textContent).toBe("must not be empty");
    expect(screen.getByLabelText("Clinical case").getAttribute("aria-invalid")).toBeNull();
    expect(askCalls(calls)).toEqual([]);
  });

  it("adds option E on request, sends it, and removes it again", async () => {
    const calls = serve((call) => sse([DONE], call));
    renderPage(<AskForm defaultModel="medgpt" />);
    expect(screen.queryByLabelText("E")).toBeNull();

    await userEvent.click(screen.getByRole("button", { name: "+ Add option E" }));
    expect(screen.queryByRole("button", { name: "+ Add option E" })).toBeNull();
    const user = await fillQuestion(["Migraine", "Tension headache", "Cluster headache", "Sinusitis", "Brain tumour"]);
    await user.click(askButton());

    await waitFor(() => expect(askCalls(calls)).toHaveLength(1));
    expect(askCalls(calls)[0]!.body).toMatchObject({
      options: { A: "Migraine", B: "Tension headache", C: "Cluster headache", D: "Sinusitis", E: "Brain tumour" },
      model: "medgpt",
    });

    await user.click(await screen.findByRole("button", { name: "Remove option E" }));
    expect(screen.queryByLabelText("E")).toBeNull();
    expect(screen.getByRole("button", { name: "+ Add option E" })).toBeTruthy();
  });

  it("streams the reasoning with Ask disabled, and Stop ends it without an answer", async () => {
    const calls = serve((call) => sse([frame("token", { text: "<analysis>Band-like pain" })], call, true));
    renderPage(<AskForm defaultModel="medgpt" />);
    const user = await fillQuestion(["Migraine", "Tension headache"]);

    await user.click(askButton());

    await waitFor(() => expect(screen.getByTestId("reasoning").textContent).toBe("<analysis>Band-like pain"));
    expect(screen.getByTestId("phase").textContent).toBe("Reasoning…");
    expect(askButton().disabled).toBe(true);
    expect(stopButton().disabled).toBe(false);
    expect((screen.getByLabelText("Clinical case") as HTMLTextAreaElement).disabled).toBe(true);

    await user.click(stopButton());

    await waitFor(() => expect(screen.getByTestId("phase").textContent).toBe("Stopped"));
    expect(askCalls(calls)[0]!.signal?.aborted).toBe(true);
    expect(askButton().disabled).toBe(false);
    expect(stopButton().disabled).toBe(true);
    expect(screen.queryByTestId("answer")).toBeNull();
    expect(screen.queryByTestId("error-panel")).toBeNull();
    expect(screen.getByTestId("reasoning").textContent).toBe("<analysis>Band-like pain");
  });

  it("marks the model's answer among the options and shows the timings", async () => {
    serve((call) => sse([frame("token", { text: "<analysis>Bilateral" }), ANSWER, DONE], call));
    renderPage(<AskForm defaultModel="medgpt" />);
    const user = await fillQuestion(["Migraine", "Tension headache"]);

    await user.click(askButton());

    expect((await screen.findByTestId("answer")).textContent).toContain("Model's answer: B — Tension headache");
    const chosen = screen.getByTestId("option-B");
    expect(chosen.getAttribute("data-chosen")).toBe("true");
    expect(within(chosen).getByText("Model's answer")).toBeTruthy();
    expect(screen.getByTestId("option-A").getAttribute("data-chosen")).toBeNull();
    expect(screen.getByTestId("timings").textContent).toContain("25 tok/s");
    expect(screen.getByTestId("phase").textContent).toBe("Finished");
  });

  it("shows the server's error and lets the user ask again", async () => {
    serve(() =>
      json(
        { error: { code: "upstream_unavailable", message: "Ollama is not running.", fix: "Run ollama serve." } },
        503,
      ),
    );
    renderPage(<AskForm defaultModel="medgpt" />);
    const user = await fillQuestion(["Migraine", "Tension headache"]);

    await user.click(askButton());

    const panel = await screen.findByTestId("error-panel");
    expect(panel.textContent).toContain("Ollama is not running.");
    expect(panel.textContent).toContain("How to fix: Run ollama serve.");
    expect(screen.getByTestId("phase").textContent).toBe("Failed");
    expect(askButton().disabled).toBe(false);
  });
});
