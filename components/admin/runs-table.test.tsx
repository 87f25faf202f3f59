import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import type { RunView } from "@/eval/api/schemas";
import { json, renderPage, serveApi } from "@/components/test-utils";
import { calibration, runView, summary } from "./run-fixture";
import { RunsTable } from "./runs-table";

const JUDGE_WARNING =
  "Judge failed on 6 of 6 answers: 6 unreadable verdicts. Its scores are not meaningful for this run.";

function runs(): RunView[] {
  return [
    runView({
      id: "run_a",
      name: "Baseline at temperature 0",
      notes: "First look at the cardiology set.",
      summary: [
        summary("medgpt", {
          accuracy: 0.6667,
          accuracyCi: [0.2077, 0.9386],
          calibration: calibration([{ lo: 0.7, count: 3, right: 2 }], { ece: 0.083 }),
        }),
        summary("base", { accuracy: 0.3333, accuracyCi: [0.0615, 0.7923], errors: 1 }),
      ],
    }),
    runView({
      id: "run_b",
      status: "running",
      done: 2,
      models: ["medgpt"],
      judge: "ollama:judge",
      warnings: [JUDGE_WARNING],
      summary: [summary("medgpt", { judgeMean: 3.2, judged: 3 })],
    }),
    runView({
      id: "run_c",
      datasetId: "ds_2",
      datasetName: "Neurology set",
      status: "failed",
      models: ["base"],
      summary: [summary("base")],
    }),
  ];
}

/** GET /api/runs, and PATCH /api/runs/{id} that renames the run the way the server does. */
function serveRuns() {
  const list = runs();
  const calls = serveApi(({ method, path, body }) => {
    if (method === "GET" && path === "/api/runs") return json({ runs: list });
    const m = /^\/api\/runs\/([^/]+)$/.exec(path);
    if (method === "PATCH" && m) {
      const i = list.findIndex((r) => r.id === m[1]);
      const patch = body as { name?: string | null; notes?: string | null };
      list[i] = { ...list[i]!, ...patch };
      return json(list[i]);
    }
    return undefined;
  });
  return { calls, list };
}

const row = (id: string) => screen.getByTestId(`run-row-${id}`);
const lines = (cell: HTMLElement) =>
  within(cell)
    .getAllByRole("listitem")
    .map((li) => li.textContent);

describe("RunsTable", () => {
  beforeEach(() => window.history.replaceState(null, "", "/admin"));

  it("shows a run's name in place of its id, the id small beneath, and its notes", async () => {
    serveRuns();
    renderPage(<RunsTable />);

    const named = await screen.findByTestId("run-row-run_a");
    expect(within(named).getByTestId("run-link").textContent).toBe("Baseline at temperature 0");
    expect(within(named).getByTestId("run-link").getAttribute("href")).toBe("/admin/runs/run_a");
    expect(within(named).getByTestId("run-id").textContent).toBe("run_a");
    expect(within(named).getByTestId("run-notes").textContent).toBe("First look at the cardiology set.");
    // Without a name the id is the link, and there is no second copy of it.
    expect(within(row("run_b")).getByTestId("run-link").textContent).toBe("run_b");
    expect(within(row("run_b")).queryByTestId("run-id")).toBeNull();
  });

  it("has one row per run with each model's accuracy and interval, judge mean, ECE and errors, model by model", async () => {
    serveRuns();
    renderPage(<RunsTable />);

    const a = await screen.findByTestId("run-row-run_a");
    expect(screen.getAllByRole("row")).toHaveLength(1 + 3); // header + one per run
    expect(lines(within(a).getByTestId("accuracy-cell"))).toEqual(["66.7% 20.8–93.9%", "33.3% 6.2–79.2%"]);
    expect(lines(within(a).getByTestId("ece-cell"))).toEqual(["0.083", "—"]);
    expect(lines(within(a).getByTestId("errors-cell"))).toEqual(["0", "1"]);
    expect(within(a).getByTestId("judge-cell").textContent).toBe("no judge");
    expect(lines(within(row("run_b")).getByTestId("judge-cell"))).toEqual(["3.20 / 5"]);
  });

  it("marks a run with warnings, with the warning's words, and leaves the others unmarked", async () => {
    serveRuns();
    renderPage(<RunsTable />);

    const mark = within(await screen.findByTestId("run-row-run_b")).getByTestId("run-warning-mark");
    expect(mark.textContent).toContain("1 warning");
    expect(mark.textContent).toContain(JUDGE_WARNING);
    expect(mark.getAttribute("title")).toBe(JUDGE_WARNING);
    expect(within(row("run_a")).queryByTestId("run-warning-mark")).toBeNull();
    expect(within(row("run_c")).queryByTestId("run-warning-mark")).toBeNull();
  });

  it("filters by dataset, model and status, says how many are shown, and keeps the filters in the URL", async () => {
    serveRuns();
    renderPage(<RunsTable />);
    await screen.findByTestId("run-row-run_a");
    expect(screen.getByTestId("runs-count").textContent).toBe("3 runs");

    await userEvent.selectOptions(screen.getByLabelText("Dataset"), "Neurology set");
    expect(screen.queryByTestId("run-row-run_a")).toBeNull();
    expect(row("run_c")).toBeTruthy();
    expect(screen.getByTestId("runs-count").textContent).toBe("1 of 3 runs");
    expect(window.location.search).toBe("?dataset=ds_2");

    await userEvent.selectOptions(screen.getByLabelText("Dataset"), "");
    await userEvent.selectOptions(screen.getByLabelText("Model"), "medgpt");
    expect(screen.getAllByTestId(/^run-row-/).map((r) => r.dataset.testid)).toEqual(["run-row-run_a", "run-row-run_b"]);

    await userEvent.selectOptions(screen.getByLabelText("Status"), "running");
    expect(screen.getAllByTestId(/^run-row-/).map((r) => r.dataset.testid)).toEqual(["run-row-run_b"]);
    expect(window.location.search).toBe("?model=medgpt&status=running");

    await userEvent.selectOptions(screen.getByLabelText("Status"), "failed");
    expect(screen.getByTestId("runs-empty").textContent).toBe("No run matches these filters.");
    await userEvent.click(screen.getByRole("button", { name: "Clear filters" }));
    expect(screen.getAllByTestId(/^run-row-/)).toHaveLength(3);
  });

  it("starts from the filters in the page URL", async () => {
    serveRuns();
    renderPage(<RunsTable />, { searchParams: "status=failed" });

    await screen.findByTestId("run-row-run_c");
    expect(screen.queryByTestId("run-row-run_a")).toBeNull();
    expect((screen.getByLabelText("Status") as HTMLSelectElement).value).toBe("failed");
  });

  it("ticking two runs links to the compare page with both, the same model on both sides", async () => {
    serveRuns();
    renderPage(<RunsTable />);
    await screen.findByTestId("run-row-run_a");
    const compare = () => screen.getByRole("button", { name: "Compare A and B" });
    expect(compare()).toHaveProperty("disabled", true);

    await userEvent.click(screen.getByRole("checkbox", { name: "Tick Baseline at temperature 0 to compare" }));
    expect(screen.getByTestId("compare-bar").textContent).toContain("A: Baseline at temperature 0");
    expect(compare()).toHaveProperty("disabled", true);

    await userEvent.click(screen.getByRole("checkbox", { name: "Tick run_b to compare" }));
    const link = screen.getByRole("link", { name: "Compare A and B" });
    expect(link.getAttribute("href")).toBe("/admin/compare?runA=run_a&modelA=medgpt&runB=run_b&modelB=medgpt");
    expect(row("run_a").dataset.ticked).toBe("A");
    expect(row("run_b").dataset.ticked).toBe("B");
  });

  it("does not offer to compare two runs on different datasets, and says why", async () => {
    serveRuns();
    renderPage(<RunsTable />);
    await screen.findByTestId("run-row-run_a");

    await userEvent.click(screen.getByRole("checkbox", { name: "Tick Baseline at temperature 0 to compare" }));
    await userEvent.click(screen.getByRole("checkbox", { name: "Tick run_c to compare" }));

    expect(screen.getByTestId("compare-bar").textContent).toContain("different datasets");
    expect(screen.queryByRole("link", { name: "Compare A and B" })).toBeNull();
    expect(screen.getByRole("button", { name: "Compare A and B" })).toHaveProperty("disabled", true);
  });

  it("names a run and keeps notes with it (PATCH), and the list shows them", async () => {
    const { calls } = serveRuns();
    renderPage(<RunsTable />);
    await screen.findByTestId("run-row-run_b");

    await userEvent.click(within(row("run_b")).getByRole("button", { name: "Add name of run_b" }));
    const dialog = screen.getByRole("dialog", { name: "Name and notes" });
    await userEvent.type(within(dialog).getByLabelText("Name"), "Judge check");
    await userEvent.type(within(dialog).getByLabelText("Notes"), "The judge could not be read.");
    await userEvent.click(within(dialog).getByRole("button", { name: "Save" }));

    await waitFor(() => expect(within(row("run_b")).getByTestId("run-link").textContent).toBe("Judge check"));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(within(row("run_b")).getByTestId("run-id").textContent).toBe("run_b");
    expect(within(row("run_b")).getByTestId("run-notes").textContent).toBe("The judge could not be read.");
    const patch = calls.find((c) => c.method === "PATCH");
    expect(patch?.path).toBe("/api/runs/run_b");
    expect(patch?.body).toEqual({ name: "Judge check", notes: "The judge could not be read." });
  });

  it("emptying the name removes it, and the id shows again", async () => {
    const { calls } = serveRuns();
    renderPage(<RunsTable />);
    await screen.findByTestId("run-row-run_a");

    await userEvent.click(within(row("run_a")).getByRole("button", { name: "Edit of Baseline at temperature 0" }));
    const dialog = screen.getByRole("dialog", { name: "Name and notes" });
    await userEvent.clear(within(dialog).getByLabelText("Name"));
    await userEvent.click(within(dialog).getByRole("button", { name: "Save" }));

    await waitFor(() => expect(within(row("run_a")).getByTestId("run-link").textContent).toBe("run_a"));
    expect(calls.find((c) => c.method === "PATCH")?.body).toEqual({
      name: null,
      notes: "First look at the cardiology set.",
    });
  });
});
