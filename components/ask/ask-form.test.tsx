import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { json } from "@/components/test-utils";
import {
  answerFrame,
  askButton,
  askCalls,
  CASE,
  doneFrame,
  fillQuestion,
  frame,
  fullReply,
  liveStatus,
  liveStream,
  renderAskPage,
  servePage,
  sse,
} from "./testing";

const reasoningText = () => screen.getByTestId("reasoning").textContent ?? "";

describe("the ask page: idle", () => {
  it("invites a question: Ask enabled, nothing answered, the keyboard hint shown", async () => {
    servePage();
    renderAskPage();
    expect(askButton().disabled).toBe(false);
    expect(screen.getByTestId("answer-placeholder").textContent).toContain("The answer will appear here.");
    expect(screen.getByTestId("keyboard-hint").textContent).toBe("Press Ctrl+Enter (⌘+Enter on Mac) to ask.");
    // The hint is hidden on touch screens by a pointer media query.
    expect(screen.getByTestId("keyboard-hint").className).toContain("pointer-coarse:hidden");
    expect(screen.queryByTestId("reasoning-panel")).toBeNull();
    expect(liveStatus()).toBe("");
    expect(await screen.findByTestId("backend-status")).toHaveProperty("textContent", "Model server ready");
    expect(screen.queryByTestId("backend-banner")).toBeNull();
  });
});

describe("the ask page: invalid input", () => {
  it("says what to enter in clinician words, marks the field invalid, focuses it and sends nothing", async () => {
    const calls = servePage();
    renderAskPage();

    await userEvent.click(askButton());

    const caseBox = screen.getByLabelText("Clinical case");
    expect(caseBox.getAttribute("aria-invalid")).toBe("true");
    expect(document.getElementById(caseBox.getAttribute("aria-describedby")!)?.textContent).toBe(
      "Enter the clinical case",
    );
    expect(document.activeElement).toBe(caseBox);
    expect(screen.getByLabelText("A").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByTestId("option-A-error").textContent).toBe("Enter option A");
    expect(screen.getByTestId("option-B-error").textContent).toBe("Enter option B");
    expect(askCalls(calls)).toEqual([]);
  });

  it("asks for option B when only A is filled in, and the message goes once B is typed", async () => {
    const calls = servePage();
    renderAskPage();
    const user = await fillQuestion(["Migraine"]);

    await user.click(askButton());

    const optionB = screen.getByLabelText("B");
    expect(optionB.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByTestId("option-B-error").textContent).toBe("Enter option B");
    expect(document.activeElement).toBe(optionB);
    expect(screen.getByLabelText("Clinical case").getAttribute("aria-invalid")).toBeNull();
    expect(askCalls(calls)).toEqual([]);

    await user.type(optionB, "Tension headache");
    expect(optionB.getAttribute("aria-invalid")).toBeNull();
    expect(screen.queryByTestId("option-B-error")).toBeNull();
  });

  it("names the gap when an option is skipped", async () => {
    servePage();
    renderAskPage();
    const user = await fillQuestion(["Migraine", "Tension headache"]);
    await user.type(screen.getByLabelText("D"), "Sinusitis");
    await user.click(askButton());
    expect(screen.getByTestId("option-C-error").textContent).toBe("Enter option C, or clear the options after it");
  });

  it("adds option E on request, sends it, and removes it again", async () => {
    const calls = servePage();
    renderAskPage();
    await userEvent.click(screen.getByRole("button", { name: "+ Add option E" }));
    const user = await fillQuestion(["Migraine", "Tension headache", "Cluster headache", "Sinusitis", "Brain tumour"]);
    await user.click(askButton());

    await waitFor(() => expect(askCalls(calls)).toHaveLength(1));
    expect(askCalls(calls)[0]!.body).toMatchObject({
      case: CASE,
      options: { A: "Migraine", B: "Tension headache", C: "Cluster headache", D: "Sinusitis", E: "Brain tumour" },
      model: "mrizwank97/medgpt",
    });

    await user.click(await screen.findByRole("button", { name: "Edit and ask again" }));
    await user.click(screen.getByRole("button", { name: "Remove option E" }));
    expect(screen.queryByLabelText("E")).toBeNull();
  });

  it("keeps an option on one line that wraps: Enter adds no line break", async () => {
    servePage();
    renderAskPage();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("A"), "Migraine{Enter}with aura");
    expect((screen.getByLabelText("A") as HTMLTextAreaElement).value).toBe("Migrainewith aura");
    expect(screen.getByLabelText("A").tagName).toBe("TEXTAREA");
  });

  it("asks with Ctrl+Enter from the keyboard", async () => {
    const calls = servePage();
    renderAskPage();
    const user = await fillQuestion();
    await user.keyboard("{Control>}{Enter}{/Control}");
    await waitFor(() => expect(askCalls(calls)).toHaveLength(1));
  });
});

describe("the ask page: streaming", () => {
  it("shows the reasoning as prose while it streams, without tags or the answer block, and says it is still writing", async () => {
    const stream = liveStream();
    servePage({ ask: (call) => stream.respond(call) });
    renderAskPage();
    const user = await fillQuestion();
    await user.click(askButton());

    expect(await screen.findByText("Waiting for the model to start…")).toBeTruthy();
    expect(liveStatus()).toBe("Answering…");

    await act(async () => stream.push(frame("token", { text: "model\n<analysis>Bilateral, band-like" })));
    await waitFor(() => expect(reasoningText()).toContain("Bilateral, band-like"));
    expect(reasoningText()).not.toContain("<analysis>");
    expect(reasoningText()).not.toMatch(/^model/);
    expect(screen.getByTestId("still-writing").textContent).toBe("Still writing…");
    expect(screen.getByText("The model is reasoning…")).toBeTruthy();
    // The tokens are not announced: the reasoning is outside every live region.
    expect(
      screen.getByTestId("reasoning").closest('[aria-live],[role="status"],[role="alert"],[role="log"]'),
    ).toBeNull();
    expect(liveStatus()).toBe("Answering…");

    await act(async () => stream.push(frame("token", { text: " pain.</analysis>\n<answer>\nB: Tension" })));
    await waitFor(() => expect(reasoningText()).toContain("band-like pain."));
    expect(reasoningText()).not.toContain("Tension");
    expect(reasoningText()).not.toContain("<answer>");

    // The question is frozen while it is answered: nothing to edit next to a running answer.
    expect(screen.queryByLabelText("Clinical case")).toBeNull();
    expect(within(screen.getByTestId("question-card")).getByText(CASE)).toBeTruthy();
    stream.end();
  });

  it("follows the newest text, and stops following when the reader scrolls up", async () => {
    const stream = liveStream();
    servePage({ ask: (call) => stream.respond(call) });
    renderAskPage();
    const user = await fillQuestion();
    await user.click(askButton());
    await act(async () => stream.push(frame("token", { text: "<analysis>First line." })));
    const box = await screen.findByTestId("reasoning");
    let height = 1000;
    Object.defineProperty(box, "scrollHeight", { configurable: true, get: () => height });
    Object.defineProperty(box, "clientHeight", { configurable: true, get: () => 300 });

    await act(async () => stream.push(frame("token", { text: "\n\nSecond paragraph." })));
    await waitFor(() => expect(box.scrollTop).toBe(1000));

    box.scrollTop = 100;
    await act(async () => box.dispatchEvent(new Event("scroll")));
    height = 1400;
    await act(async () => stream.push(frame("token", { text: " More." })));
    await waitFor(() => expect(reasoningText()).toContain("More."));
    expect(box.scrollTop).toBe(100);

    await user.click(screen.getByRole("button", { name: "Jump to the newest text ↓" }));
    expect(box.scrollTop).toBe(1400);
    stream.end();
  });
});

describe("the ask page: answered", () => {
  it("shows the chosen option first, a bar with the percentage for every option, and the band in words", async () => {
    servePage();
    renderAskPage();
    const user = await fillQuestion();
    await user.click(askButton());

    const card = await screen.findByTestId("answer");
    expect(within(card).getByTestId("chosen-option").textContent).toBe("BTension headache");
    const band = within(card).getByTestId("confidence-band");
    expect(band.textContent).toBe("Moderate confidence (74%)");
    expect(band.getAttribute("data-band")).toBe("moderate");
    const bars = within(card).getByRole("list", { name: "Probability of each option" });
    const items = within(bars).getAllByRole("listitem");
    expect(items.map((i) => i.textContent)).toEqual([
      "A. Migraine20%",
      "B. Tension headache (the model's answer)74%",
      "C. Cluster headache6%",
    ]);
    expect((items[1]!.querySelector("[style]") as HTMLElement).style.width).toBe("74%");
    // Neutral colours: nothing green claims the pick is right.
    expect(card.outerHTML).not.toMatch(/emerald|green/);

    // The reasoning is the parsed analysis, as paragraphs, once, below the answer, with the answer not repeated.
    const paragraphs = within(screen.getByTestId("reasoning")).getAllByText(/./, { selector: "p" });
    expect(paragraphs.map((p) => p.textContent)).toEqual(["Bilateral, band-like pain without aura.", "No red flags."]);
    expect(reasoningText()).not.toContain("Tension headache");
    expect(screen.getByTestId("reasoning").className).not.toContain("font-mono");
    expect(
      card.compareDocumentPosition(screen.getByTestId("reasoning-panel")) & Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
    expect(screen.queryByTestId("still-writing")).toBeNull();

    expect(liveStatus()).toBe("Answered: B, moderate confidence");
    await waitFor(() => expect(document.activeElement).toBe(card));
    expect(screen.getByTestId("timings").textContent).toBe(
      "MedGPT (mrizwank97/medgpt) · answered in 2.4 s · 60 tokens, 25 tok/s",
    );

    const chosen = screen.getByTestId("option-B");
    expect(chosen.getAttribute("data-chosen")).toBe("true");
    expect(within(chosen).getByText("Model's answer")).toBeTruthy();
    expect(screen.getByTestId("option-A").getAttribute("data-chosen")).toBeNull();
  });

  it("words a low confidence as uncertain, and a high one as high", async () => {
    servePage({
      ask: () => sse([answerFrame({ confidence: 0.41, probabilities: { A: 0.35, B: 0.41, C: 0.24 } }), doneFrame()]),
    });
    renderAskPage();
    const user = await fillQuestion();
    await user.click(askButton());
    expect((await screen.findByTestId("confidence-band")).textContent).toBe("Low confidence: treat as uncertain (41%)");
    expect(liveStatus()).toBe("Answered: B, low confidence: treat as uncertain");

    servePage({
      ask: () => sse([answerFrame({ confidence: 0.93, probabilities: { A: 0.05, B: 0.93, C: 0.02 } }), doneFrame()]),
    });
    await user.click(screen.getByRole("button", { name: "Edit and ask again" }));
    await user.click(askButton());
    await waitFor(() => expect(screen.getByTestId("confidence-band").textContent).toBe("High confidence (93%)"));
  });

  it("still shows the answer without probabilities: no bars, no band, and says why", async () => {
    servePage({ ask: () => sse([answerFrame({ confidence: null, probabilities: null }), doneFrame()]) });
    renderAskPage();
    const user = await fillQuestion();
    await user.click(askButton());

    const card = await screen.findByTestId("answer");
    expect(within(card).getByTestId("chosen-option").textContent).toBe("BTension headache");
    expect(within(card).queryByTestId("confidence-band")).toBeNull();
    expect(within(card).queryByTestId("probabilities")).toBeNull();
    expect(within(card).getByTestId("no-confidence").textContent).toContain("does not report how sure");
    expect(liveStatus()).toBe("Answered: B");
  });

  it("does not show a speed for a reply of a few tokens", async () => {
    servePage({ ask: () => sse([answerFrame(), doneFrame({ evalCount: 1, tokensPerSecond: 1000, totalMs: 1 })]) });
    renderAskPage();
    const user = await fillQuestion();
    await user.click(askButton());
    const timings = await screen.findByTestId("timings");
    expect(timings.textContent).not.toContain("tok");
    expect(timings.textContent).toContain("answered in 0.0 s");
  });

  it("marks an answer from the untuned comparison model as such", async () => {
    servePage();
    renderAskPage();
    const user = await fillQuestion();
    await user.click(screen.getByRole("radio", { name: /Gemma 2 2B \(base\)/ }));
    await user.click(askButton());
    const card = await screen.findByTestId("answer");
    expect(card.textContent).toContain("an untuned comparison model");
    expect(screen.getByTestId("question-card").textContent).toContain(
      "Model: Gemma 2 2B (base) (untuned comparison model)",
    );
  });
});

describe("the ask page: no valid option", () => {
  it("says so in an amber card, with the raw reply behind a disclosure, and no answer card", async () => {
    const raw = "model\nI think it is probably F, or maybe none of these.";
    servePage({
      ask: () =>
        sse([
          frame("token", { text: raw }),
          answerFrame({
            letter: null,
            text: null,
            confidence: null,
            probabilities: null,
            analysis: raw.slice(6),
            formatOk: false,
          }),
          doneFrame({ evalCount: 1, tokensPerSecond: 1000 }),
        ]),
    });
    renderAskPage();
    const user = await fillQuestion();
    await user.click(askButton());

    const card = await screen.findByTestId("no-option");
    expect(card.textContent).toContain("The model did not choose one of the options.");
    expect(card.className).toContain("amber");
    expect(screen.queryByTestId("answer")).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(card));
    const disclosure = within(card).getByTestId("raw-reply");
    expect(disclosure.tagName).toBe("DETAILS");
    expect((disclosure as HTMLDetailsElement).open).toBe(false);
    await user.click(within(disclosure).getByText("Show the model's reply as written"));
    expect((disclosure as HTMLDetailsElement).open).toBe(true);
    expect(disclosure.textContent).toContain("I think it is probably F");
    expect(screen.getByTestId("timings").textContent).not.toContain("tok/s");
    expect(liveStatus()).toBe("Answered, but the model did not choose one of the options.");
    expect(screen.getByTestId("question-card").querySelector("[data-chosen]")).toBeNull();
  });
});

describe("the ask page: stopped", () => {
  it("Stop ends the answer on the server too, and says the answer is incomplete", async () => {
    const stream = liveStream();
    const calls = servePage({ ask: (call) => stream.respond(call) });
    renderAskPage();
    const user = await fillQuestion();
    await user.click(askButton());
    await act(async () => stream.push(frame("token", { text: "<analysis>Band-like pain" })));
    await waitFor(() => expect(reasoningText()).toContain("Band-like pain"));

    await user.click(screen.getByRole("button", { name: "Stop" }));

    const card = await screen.findByTestId("stopped");
    expect(card.textContent).toContain("Stopped: the answer is incomplete.");
    expect(askCalls(calls)[0]!.signal?.aborted).toBe(true);
    expect(liveStatus()).toBe("Stopped: the answer is incomplete.");
    expect(screen.queryByTestId("answer")).toBeNull();
    expect(screen.queryByTestId("error-panel")).toBeNull();
    expect(screen.getByTestId("reasoning-panel").textContent).toContain("(incomplete)");
    expect(reasoningText()).toBe("Band-like pain");
    expect(screen.queryByTestId("still-writing")).toBeNull();
    expect(screen.queryByRole("button", { name: "Stop" })).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(card));
  });
});

describe("the ask page: errors", () => {
  const DOWN = {
    error: {
      code: "upstream_unavailable",
      message: "Cannot reach Ollama at http://127.0.0.1:11434 (ECONNREFUSED).",
      fix: "Start Ollama (`ollama serve`, or `./medgpt.sh up`) and check OLLAMA_HOST.",
    },
  };

  it("explains the failure in clinician words; code, URL and fix wait behind the administrator disclosure; Retry asks again", async () => {
    let failing = true;
    const calls = servePage({ ask: () => (failing ? json(DOWN, 503) : sse(fullReply())) });
    renderAskPage();
    const user = await fillQuestion();
    await user.click(askButton());

    const panel = await screen.findByTestId("error-panel");
    const message = within(panel).getByTestId("error-message").textContent ?? "";
    expect(message).toContain("MedGPT cannot reach its model");
    const details = within(panel).getByTestId("error-admin-details") as HTMLDetailsElement;
    expect(details.tagName).toBe("DETAILS");
    expect(details.open).toBe(false);
    expect(within(details).getByText("Details for your administrator").tagName).toBe("SUMMARY");
    // Outside the disclosure: no URL, no code, no shell command, no backtick.
    const outside = panel.cloneNode(true) as HTMLElement;
    outside.querySelector("details")!.remove();
    expect(outside.textContent).not.toMatch(/https?:|upstream_unavailable|ollama serve|`|OLLAMA_HOST/);
    expect(details.textContent).toContain("upstream_unavailable");
    expect(details.textContent).toContain("http://127.0.0.1:11434");
    expect(within(details).getByText("ollama serve").tagName).toBe("CODE");
    expect(liveStatus()).toContain("MedGPT could not answer.");
    await waitFor(() => expect(document.activeElement).toBe(panel));

    failing = false;
    await user.click(within(panel).getByRole("button", { name: "Retry" }));
    expect(await screen.findByTestId("answer")).toBeTruthy();
    expect(askCalls(calls)).toHaveLength(2);
    expect(askCalls(calls)[1]!.body).toEqual(askCalls(calls)[0]!.body);
  });

  it("reports a stream that breaks off after some reasoning, keeping what came as incomplete", async () => {
    servePage({
      ask: () =>
        sse([
          frame("token", { text: "<analysis>Band-like" }),
          frame("error", { code: "upstream_error", message: "Ollama failed while generating: boom" }),
        ]),
    });
    renderAskPage();
    const user = await fillQuestion();
    await user.click(askButton());
    const panel = await screen.findByTestId("error-panel");
    expect(within(panel).getByTestId("error-message").textContent).toBe(
      "The model server reported an error, so there is no answer. Try again; if this keeps happening, tell your administrator.",
    );
    expect(reasoningText()).toBe("Band-like");
    expect(screen.getByTestId("reasoning-panel").textContent).toContain("(incomplete)");
  });
});

describe("the ask page: editing after an answer", () => {
  it("freezes the asked question; Edit and ask again brings it back without the answer; New question starts empty", async () => {
    servePage();
    renderAskPage();
    const user = await fillQuestion();
    await user.click(askButton());
    await screen.findByTestId("answer");

    // The question is read-only beside its answer.
    const card = screen.getByTestId("question-card");
    expect(card.textContent).toContain("Question asked");
    expect(within(card).queryByRole("textbox")).toBeNull();
    expect(screen.queryByLabelText("Clinical case")).toBeNull();

    await user.click(screen.getByRole("button", { name: "Edit and ask again" }));
    const caseBox = screen.getByLabelText("Clinical case") as HTMLTextAreaElement;
    expect(caseBox.value).toBe(CASE);
    expect((screen.getByLabelText("B") as HTMLTextAreaElement).value).toBe("Tension headache");
    expect(document.activeElement).toBe(caseBox);
    // The answer is gone: it belonged to the question as it was.
    expect(screen.queryByTestId("answer")).toBeNull();
    expect(screen.queryByText("Model's answer")).toBeNull();
    expect(screen.getByTestId("answer-placeholder")).toBeTruthy();

    await user.type(screen.getByLabelText("B"), " (episodic)");
    await user.click(askButton());
    await screen.findByTestId("answer");
    expect(screen.getByTestId("question-card").textContent).toContain("Tension headache (episodic)");

    await user.click(screen.getByRole("button", { name: "New question" }));
    expect((screen.getByLabelText("Clinical case") as HTMLTextAreaElement).value).toBe("");
    expect((screen.getByLabelText("A") as HTMLTextAreaElement).value).toBe("");
    expect(screen.queryByTestId("answer")).toBeNull();
  });

  it("New question while it is still answering stops that answer", async () => {
    const stream = liveStream();
    const calls = servePage({ ask: (call) => stream.respond(call) });
    renderAskPage();
    const user = await fillQuestion();
    await user.click(askButton());
    await act(async () => stream.push(frame("token", { text: "<analysis>Band" })));
    await user.click(screen.getByRole("button", { name: "New question" }));
    expect(askCalls(calls)[0]!.signal?.aborted).toBe(true);
    expect(screen.queryByTestId("reasoning-panel")).toBeNull();
    expect(screen.queryByTestId("stopped")).toBeNull();
  });
});

describe("the ask page: copy", () => {
  it("copies the case, options, answer, confidence, model and time as plain text, and says Copied", async () => {
    servePage();
    renderAskPage();
    const user = await fillQuestion();
    // After userEvent.setup(), which installs a clipboard of its own.
    const writeText = vi.fn(async (_text: string) => {});
    Object.defineProperty(navigator, "clipboard", { configurable: true, value: { writeText } });
    await user.click(askButton());
    const card = await screen.findByTestId("answer");

    await user.click(within(card).getByRole("button", { name: "Copy answer" }));

    expect(await within(card).findByText("Copied")).toBeTruthy();
    const text = writeText.mock.calls[0]![0];
    expect(text).toContain(`Case:\n${CASE}`);
    expect(text).toContain("Options:\nA. Migraine\nB. Tension headache\nC. Cluster headache");
    expect(text).toContain("Answer: B. Tension headache");
    expect(text).toContain("Confidence: Moderate confidence (74%)");
    expect(text).toContain("Probabilities: A 20%, B 74%, C 6%");
    expect(text).toContain("Model: MedGPT");
    expect(text).toMatch(/Asked: .*\d{2}:\d{2}/);
    expect(text).toContain("decision support");
    expect(text).not.toMatch(/<\/?\w+>/);
  });

  it("says when copying did not work", async () => {
    servePage();
    renderAskPage();
    const user = await fillQuestion();
    Object.defineProperty(navigator, "clipboard", {
      configurable: true,
      value: { writeText: () => Promise.reject(new Error("denied")) },
    });
    await user.click(askButton());
    const card = await screen.findByTestId("answer");
    await user.click(within(card).getByRole("button", { name: "Copy answer" }));
    expect((await within(card).findByTestId("copy-status")).textContent).toMatch(/Could not copy/);
  });
});
