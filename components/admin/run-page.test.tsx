import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { RunView } from "@/eval/api/schemas";
import { json, renderPage, serveApi } from "@/components/test-utils";
import { RunCalibration, RunSelfConsistency } from "./run-calibration";
import { calibration, runView, summary } from "./run-fixture";
import { RunHeader } from "./run-header";
import { RunSettings } from "./run-settings";
import { SummaryCards } from "./summary-cards";

function serveRun(initial: RunView) {
  let run = initial;
  return serveApi(({ method, path, body }) => {
    if (path !== "/api/runs/run_1") return undefined;
    if (method === "PATCH") run = { ...run, ...(body as Partial<RunView>) };
    return json(run);
  });
}

describe("RunHeader", () => {
  it("heads the page with the run's name, the id small beneath, and the notes", async () => {
    serveRun(runView({ name: "Fine-tune, 93 questions", notes: "Recorded replies.\nSecond line." }));
    renderPage(<RunHeader runId="run_1" />);

    await waitFor(() => expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Fine-tune, 93 questions"));
    expect(screen.getByText("run_1").closest("p")?.textContent).toBe("Run id run_1");
    expect(screen.getByTestId("run-notes").textContent).toBe("Recorded replies.\nSecond line.");
  });

  it("without a name, the heading is the id", async () => {
    serveRun(runView());
    renderPage(<RunHeader runId="run_1" />);

    await screen.findByRole("button", { name: "Edit name and notes of run_1" });
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Run run_1");
    expect(screen.queryByTestId("run-notes")).toBeNull();
  });

  it("names the run from its page", async () => {
    const calls = serveRun(runView());
    renderPage(<RunHeader runId="run_1" />);

    await userEvent.click(await screen.findByRole("button", { name: "Edit name and notes of run_1" }));
    const dialog = screen.getByRole("dialog", { name: "Name and notes" });
    expect(document.activeElement).toBe(within(dialog).getByLabelText("Name"));
    await userEvent.type(within(dialog).getByLabelText("Name"), "Seeded sample of 20");
    await userEvent.click(within(dialog).getByRole("button", { name: "Save" }));

    await waitFor(() => expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Seeded sample of 20"));
    expect(calls.filter((c) => c.method === "PATCH").map((c) => c.body)).toEqual([
      { name: "Seeded sample of 20", notes: null },
    ]);
  });

  it("Discard changes closes the dialog without saving", async () => {
    const calls = serveRun(runView({ name: "Kept" }));
    renderPage(<RunHeader runId="run_1" />);

    await userEvent.click(await screen.findByRole("button", { name: "Edit name and notes of Kept" }));
    await userEvent.type(screen.getByLabelText("Name"), " and changed");
    await userEvent.click(screen.getByRole("button", { name: "Discard changes" }));

    expect(screen.queryByRole("dialog")).toBeNull();
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Kept");
    expect(calls.filter((c) => c.method === "PATCH")).toEqual([]);
  });
});

describe("RunSettings", () => {
  it("shows everything the run was asked to do", () => {
    const run = runView({
      judge: "ollama:qwen3:8b",
      settings: {
        models: ["mrizwank97/medgpt", "gemma2:2b"],
        backend: "ollama",
        temperature: 0.7,
        maxTokens: 768,
        seed: 7,
        samples: 5,
        promptFormats: { "mrizwank97/medgpt": "medgpt-raw", "gemma2:2b": "chat" },
        judge: "ollama:qwen3:8b",
        judgePromptVersion: "3f2a9c1b0d4e",
        createdBy: "dashboard",
        createdAt: "2026-01-02T10:00:00.000Z",
      },
    });
    renderPage(<RunSettings settings={run.settings} />);

    const text = (id: string) => screen.getByTestId(id).textContent;
    expect(
      within(screen.getByTestId("setting-models"))
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual([
      "mrizwank97/medgpt — prompt format medgpt-raw (the fine-tune's training prompt)",
      "gemma2:2b — prompt format chat (the model's own chat template)",
    ]);
    expect(text("setting-backend")).toBe("Ollama");
    expect(text("setting-temperature")).toBe("0.7");
    expect(text("setting-max-tokens")).toBe("768");
    expect(text("setting-seed")).toBe("7");
    expect(text("setting-samples")).toBe("5 (majority vote, self-consistency)");
    expect(text("setting-judge")).toBe("ollama:qwen3:8bjudge prompt version 3f2a9c1b0d4e");
    expect(text("setting-created")).toMatch(/2026.* from the dashboard$/);
  });

  it("says when something was not recorded", () => {
    const run = runView();
    renderPage(<RunSettings settings={{ ...run.settings, backend: null, createdBy: null, judge: null }} />);
    expect(screen.getByTestId("setting-backend").textContent).toBe("not recorded");
    expect(screen.getByTestId("setting-created").textContent).toContain("(creator not recorded)");
    expect(screen.getByTestId("setting-judge").textContent).toBe("none (exact match only)");
  });
});

describe("self-consistency on the run page", () => {
  const voted = runView({
    models: ["medgpt"],
    settings: { ...runView().settings, samples: 5, temperature: 0.7 },
    summary: [
      summary("medgpt", {
        accuracy: 0.6,
        correct: 3,
        completed: 5,
        vote: {
          correct: 4,
          accuracy: 0.8,
          calibration: calibration(
            [
              { lo: 0.6, count: 2, right: 1 },
              { lo: 0.9, count: 3, right: 3 },
            ],
            { ece: 0.14 },
          ),
        },
      }),
    ],
  });

  it("the summary shows first-sample accuracy and vote accuracy side by side", async () => {
    serveRun(voted);
    renderPage(<SummaryCards runId="run_1" />);

    const card = await screen.findByTestId("summary-medgpt");
    expect(within(card).getByTestId("accuracy").textContent).toBe("60.0%");
    expect(card.textContent).toContain("Accuracy, first sample");
    expect(within(card).getByTestId("vote-accuracy").textContent).toBe("80.0%");
    expect(card.textContent).toContain("Vote accuracy (5 samples)");
    expect(card.textContent).toContain("4/5 correct · +20.0 pp vs first sample");
  });

  it("shows the agreement calibration of the vote", async () => {
    serveRun(voted);
    renderPage(<RunSelfConsistency runId="run_1" />);

    const section = await screen.findByTestId("self-consistency");
    expect(within(section).getByTestId("vote-row").textContent).toBe("medgptfirst sample 60.0% → vote 80.0%");
    const agreement = within(section).getByTestId("agreement-calibration");
    expect(within(agreement).getByTestId("ece").textContent).toBe("0.140");
    expect(within(agreement).getByTestId("reliability-diagram").textContent).toContain("mean agreement");
  });

  it("is absent for a single-sample run", async () => {
    serveRun(runView({ summary: [summary("medgpt"), summary("base")] }));
    renderPage(
      <>
        <SummaryCards runId="run_1" />
        <RunSelfConsistency runId="run_1" />
      </>,
    );
    await screen.findByTestId("summary-medgpt");
    expect(screen.queryByTestId("self-consistency")).toBeNull();
    expect(screen.queryByTestId("vote-accuracy")).toBeNull();
  });
});

describe("RunCalibration", () => {
  it("gives ECE, Brier and AURC per model, each with its meaning in plain words", async () => {
    serveRun(
      runView({
        summary: [
          summary("medgpt", {
            calibration: calibration([{ lo: 0.9, count: 4, right: 3 }], { ece: 0.083, brier: 0.214, aurc: 0.125 }),
          }),
          summary("base"),
        ],
      }),
    );
    renderPage(<RunCalibration runId="run_1" />);

    const [medgpt, base] = await screen.findAllByTestId("calibration-row");
    expect(within(medgpt!).getByTestId("ece").textContent).toBe("0.083");
    expect(within(medgpt!).getByTestId("brier").textContent).toBe("0.214");
    expect(within(medgpt!).getByTestId("aurc").textContent).toBe("0.125");
    expect(base!.textContent).toContain("No confidence recorded");
    const what = screen.getByRole("button", { name: "What ECE means" });
    expect(what.getAttribute("title")).toMatch(/how far the model's stated confidence is from how often it is right/);
    await userEvent.click(what);
    expect(screen.getByRole("note", { hidden: false }).textContent).toMatch(/^Expected calibration error/);
    // The histogram's numbers: right and wrong per band, from the bins.
    const histogram = screen.getByTestId("confidence-histogram");
    const rows = within(within(histogram).getByRole("table")).getAllByRole("row");
    expect(rows).toHaveLength(1 + 10);
    expect(
      within(rows[10]!)
        .getAllByRole("cell")
        .map((c) => c.textContent),
    ).toEqual(["0.9–1.0", "3", "1"]);
    expect(
      within(rows[1]!)
        .getAllByRole("cell")
        .map((c) => c.textContent),
    ).toEqual(["0.0–0.1", "0", "0"]);
  });
});
