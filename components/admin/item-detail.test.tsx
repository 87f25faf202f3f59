import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { ItemDetail } from "@/eval/api/schemas";
import { json, renderPage, serveApi } from "@/components/test-utils";
import { ItemDetailView } from "./item-detail";
import { runView } from "./run-fixture";

type Answer = ItemDetail["answers"][number];

const LONG_RAW = `<analysis>\n${"The findings point to an inferior infarction. ".repeat(80)}\n</analysis>\n<answer>\nB: Right coronary artery\n</answer>`;

const answer = (over: Partial<Answer>): Answer => ({
  model: "medgpt",
  status: "ok",
  letter: "B",
  exact: false,
  formatOk: true,
  latencyMs: 1200,
  error: null,
  judgeScore: null,
  judgeStatus: null,
  confidence: null,
  voteLetter: null,
  agreement: null,
  raw: "<analysis>…</analysis><answer>B</answer>",
  analysis: "…",
  judgeExplanation: null,
  judgeRaw: null,
  judgeError: null,
  attempts: 1,
  probabilities: null,
  samples: [],
  ...over,
});

function item(over: Partial<ItemDetail> = {}): ItemDetail {
  return {
    itemIdx: 4,
    number: 5,
    previous: 3,
    next: 5,
    sourceLine: 6,
    caseText: "A 58-year-old man has crushing chest pain with ST elevation in II, III and aVF.",
    options: { A: "LAD", B: "Right coronary artery", C: "Left circumflex", D: "Left main" },
    reference: { letter: "C", text: "Left circumflex", reasoning: "Made-up reference for the test." },
    answers: [
      answer({
        model: "medgpt",
        letter: "B",
        exact: false,
        confidence: 0.62,
        probabilities: { A: 0.05, B: 0.62, C: 0.28, D: 0.05 },
        raw: LONG_RAW,
      }),
      answer({
        model: "gemma2:2b",
        letter: "C",
        exact: true,
        voteLetter: "C",
        agreement: 2 / 3,
        samples: [
          { letter: "C", confidence: null },
          { letter: "B", confidence: null },
          { letter: "C", confidence: null },
        ],
      }),
    ],
    ...over,
  };
}

function serveItem(detail: ItemDetail) {
  return serveApi(({ path }) => {
    if (path === "/api/runs/run_1") return json(runView({ models: ["medgpt", "gemma2:2b"], items: 12 }));
    if (path === `/api/runs/run_1/items/${detail.itemIdx}`) return json(detail);
    return undefined;
  });
}

describe("ItemDetailView", () => {
  it("is headed by the question's number from 1 and links to the previous and next question", async () => {
    serveItem(item());
    renderPage(<ItemDetailView runId="run_1" idx={4} />);

    await waitFor(() => expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Question 5 of 12"));
    const nav = screen.getByRole("navigation", { name: "Previous and next question" });
    expect(within(nav).getByRole("link", { name: "← Question 4" }).getAttribute("href")).toBe(
      "/admin/runs/run_1/items/3",
    );
    expect(within(nav).getByRole("link", { name: "Question 6 →" }).getAttribute("href")).toBe(
      "/admin/runs/run_1/items/5",
    );
  });

  it("the first question has no previous link and says so; the last has no next", async () => {
    serveItem(item({ itemIdx: 0, number: 1, previous: null, next: null }));
    renderPage(<ItemDetailView runId="run_1" idx={0} />);

    const nav = await screen.findByRole("navigation", { name: "Previous and next question" });
    expect(within(nav).queryAllByRole("link")).toEqual([]);
    expect(nav.textContent).toContain("First question of the run");
    expect(nav.textContent).toContain("Last question of the run");
  });

  it("marks each model's pick right or wrong in words, not colour alone", async () => {
    serveItem(item());
    renderPage(<ItemDetailView runId="run_1" idx={4} />);

    const medgpt = (await screen.findAllByTestId("model-answer")).find((c) => c.dataset.model === "medgpt")!;
    const base = screen.getAllByTestId("model-answer").find((c) => c.dataset.model === "gemma2:2b")!;
    expect(within(medgpt).getByTestId("verdict").textContent).toBe("✗ wrong: the reference is C");
    expect(within(base).getByTestId("verdict").textContent).toBe("✓ right (the reference answer)");
    // On the options too: who picked what, and whether it was right.
    expect(within(screen.getByTestId("option-B")).getByTestId("picked-by").textContent).toBe(
      "medgpt picked this: ✗ wrong",
    );
    expect(within(screen.getByTestId("option-C")).getByTestId("picked-by").textContent).toBe(
      "gemma2:2b picked this: ✓ right",
    );
  });

  it("shows the probabilities as bars with their percentage when the model gave them", async () => {
    serveItem(item());
    renderPage(<ItemDetailView runId="run_1" idx={4} />);

    const medgpt = (await screen.findAllByTestId("model-answer")).find((c) => c.dataset.model === "medgpt")!;
    expect(within(medgpt).getByTestId("confidence").textContent).toBe("62.0%");
    const bars = within(within(medgpt).getByTestId("probabilities")).getAllByRole("listitem");
    expect(bars.map((b) => b.dataset.letter)).toEqual(["A", "B", "C", "D"]);
    expect(bars.map((b) => within(b).getByTestId("probability").textContent)).toEqual([
      "5.0%",
      "62.0%",
      "28.0%",
      "5.0%",
    ]);
    expect((bars[1]!.querySelector("[style]") as HTMLElement).style.width).toBe("62%");
    // Without probabilities there are no bars, and the confidence says it is unknown.
    const base = screen.getAllByTestId("model-answer").find((c) => c.dataset.model === "gemma2:2b")!;
    expect(within(base).queryByTestId("probabilities")).toBeNull();
    expect(within(base).getByTestId("confidence").textContent).toBe("—");
  });

  it("lists the samples of a self-consistency run with the vote and the agreement", async () => {
    serveItem(item());
    renderPage(<ItemDetailView runId="run_1" idx={4} />);

    const base = (await screen.findAllByTestId("model-answer")).find((c) => c.dataset.model === "gemma2:2b")!;
    const samples = within(base).getByTestId("samples");
    expect(samples.textContent).toContain("3 samples");
    expect(samples.textContent).toContain("vote C (right), 67% of the samples agree");
    expect(
      within(samples)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual(["1: C (right)", "2: B", "3: C (right)"]);
  });

  it("shows the whole raw output, without a clipping box", async () => {
    serveItem(item());
    renderPage(<ItemDetailView runId="run_1" idx={4} />);

    const medgpt = (await screen.findAllByTestId("model-answer")).find((c) => c.dataset.model === "medgpt")!;
    const raw = within(medgpt).getByTestId("raw-output");
    expect(raw.textContent).toBe(LONG_RAW);
    expect(raw.className).not.toMatch(/max-h|overflow-(y-)?(auto|scroll|hidden)/);
    for (let el: HTMLElement | null = raw.parentElement; el; el = el.parentElement)
      expect(el.className).not.toMatch(/max-h-/);
  });
});
