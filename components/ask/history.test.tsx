import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { HISTORY_KEY, type HistoryEntry } from "./history";
import {
  answerFrame,
  askButton,
  CASE,
  doneFrame,
  fillQuestion,
  frame,
  liveStatus,
  renderAskPage,
  servePage,
  sse,
} from "./testing";

const stored = (): HistoryEntry[] => JSON.parse(localStorage.getItem(HISTORY_KEY) ?? "[]") as HistoryEntry[];

function entry(i: number): HistoryEntry {
  return {
    id: `e${i}`,
    askedAt: Date.UTC(2026, 0, 1, 9, i),
    question: { case: `Case number ${i}`, options: { A: "Alpha", B: "Beta" }, model: "mrizwank97/medgpt" },
    modelLabel: "MedGPT",
    answer: {
      letter: "A",
      text: "Alpha",
      confidence: 0.9,
      probabilities: { A: 0.9, B: 0.1 },
      analysis: `Reasoning ${i}`,
      formatOk: true,
    },
    done: {
      model: "mrizwank97/medgpt",
      backend: "ollama",
      timings: { firstTokenMs: 1, totalMs: 900, evalCount: 40, tokensPerSecond: 30 },
    },
    raw: `<analysis>Reasoning ${i}</analysis><answer>A</answer>`,
  };
}

describe("the ask page: history", () => {
  it("keeps each answered question in this browser only, and says so", async () => {
    const calls = servePage();
    renderAskPage();
    expect(screen.queryByTestId("history")).toBeNull();
    const user = await fillQuestion();
    await user.click(askButton());
    await screen.findByTestId("answer");

    const history = await screen.findByTestId("history");
    expect(within(history).getByTestId("history-privacy").textContent).toContain("never leave it");
    expect(within(history).getByRole("button", { name: new RegExp(CASE.slice(0, 20)) }).textContent).toContain(
      "Answer B, moderate confidence",
    );
    expect(stored()).toHaveLength(1);
    expect(stored()[0]).toMatchObject({
      question: { case: CASE, model: "mrizwank97/medgpt" },
      answer: { letter: "B" },
    });
    // Nothing about the history went to the server.
    expect(calls.every((c) => c.path !== "/api/history")).toBe(true);
  });

  it("does not keep a question that failed or was stopped", async () => {
    servePage({ ask: () => sse([frame("error", { code: "upstream_error", message: "boom" })]) });
    renderAskPage();
    const user = await fillQuestion();
    await user.click(askButton());
    await screen.findByTestId("error-panel");
    expect(stored()).toEqual([]);
  });

  it("restores a question and its answer when an entry is chosen", async () => {
    localStorage.setItem(HISTORY_KEY, JSON.stringify([entry(2), entry(1)]));
    servePage();
    renderAskPage();
    const user = userEvent.setup();

    await user.click(await screen.findByRole("button", { name: /Case number 1/ }));

    const card = screen.getByTestId("question-card");
    expect(card.textContent).toContain("Case number 1");
    expect(within(card).getByTestId("option-A").getAttribute("data-chosen")).toBe("true");
    const answer = screen.getByTestId("answer");
    expect(answer.textContent).toContain("High confidence (90%)");
    expect(screen.getByTestId("reasoning").textContent).toBe("Reasoning 1");
    expect(liveStatus()).toBe("Answered: A, high confidence");
    await waitFor(() => expect(document.activeElement).toBe(answer));
  });

  it("keeps the last 20, newest first", async () => {
    localStorage.setItem(HISTORY_KEY, JSON.stringify(Array.from({ length: 20 }, (_, i) => entry(20 - i))));
    servePage({ ask: () => sse([answerFrame(), doneFrame()]) });
    renderAskPage();
    expect(within(await screen.findByTestId("history")).getAllByRole("listitem")).toHaveLength(20);
    const user = await fillQuestion();
    await user.click(askButton());
    await screen.findByTestId("answer");

    await waitFor(() => expect(stored()).toHaveLength(20));
    expect(stored()[0]!.question.case).toBe(CASE);
    expect(stored().some((e) => e.id === "e1")).toBe(false); // the oldest went
    expect(within(screen.getByTestId("history")).getAllByRole("listitem")).toHaveLength(20);
  });

  it("Clear empties it, in storage too", async () => {
    localStorage.setItem(HISTORY_KEY, JSON.stringify([entry(1)]));
    servePage();
    renderAskPage();
    await userEvent.click(within(await screen.findByTestId("history")).getByRole("button", { name: "Clear" }));
    expect(screen.queryByTestId("history")).toBeNull();
    expect(localStorage.getItem(HISTORY_KEY)).toBeNull();
  });

  it("ignores a stored entry it cannot read instead of breaking the page", async () => {
    localStorage.setItem(HISTORY_KEY, JSON.stringify([{ id: "broken" }, entry(1)]));
    servePage();
    renderAskPage();
    expect(within(await screen.findByTestId("history")).getAllByRole("listitem")).toHaveLength(1);
  });
});
