import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import type { ResultsPage } from "@/eval/api/schemas";
import { json, renderPage, serveApi } from "@/components/test-utils";
import { ResultsTable } from "./results-table";
import { runView } from "./run-fixture";

type Row = ResultsPage["rows"][number];
type Answer = Row["answers"][number];

const answer = (model: string, letter: Answer["letter"], exact: boolean, judgeScore: number | null = null): Answer => ({
  model,
  status: "ok",
  letter,
  exact,
  formatOk: true,
  latencyMs: 900,
  error: null,
  judgeScore,
  judgeStatus: judgeScore === null ? null : "scored",
  confidence: null,
  voteLetter: null,
  agreement: null,
});

const ROWS: Row[] = [
  {
    itemIdx: 0,
    number: 1,
    caseExcerpt: "A 52-year-old woman after a long flight…",
    reference: "A",
    answers: [answer("medgpt", "A", true, 5), answer("base", "A", true)],
  },
  {
    itemIdx: 1,
    number: 2,
    caseExcerpt: "A 14-year-old boy with thirst…",
    reference: "C",
    answers: [answer("medgpt", "B", false), answer("base", "C", true)],
  },
  {
    itemIdx: 2,
    number: 3,
    caseExcerpt: "A 30-year-old with a goitre…",
    reference: "D",
    answers: [answer("medgpt", "D", true), answer("base", "D", true)],
  },
];

/** The results API over ROWS: filters "wrong" (any model wrong) and the search text, one page. */
function serveResults() {
  return serveApi(({ path, search }) => {
    if (path === "/api/runs/run_1") return json(runView());
    if (path !== "/api/runs/run_1/results") return undefined;
    const q = search.get("q") ?? "";
    const rows = ROWS.filter((r) => search.get("filter") !== "wrong" || r.answers.some((a) => !a.exact)).filter((r) =>
      r.caseExcerpt.includes(q),
    );
    return json({ page: 1, pageSize: Number(search.get("pageSize")), totalRows: rows.length, rows });
  });
}

const resultCalls = (calls: { path: string; search: URLSearchParams }[]) =>
  calls.filter((c) => c.path.endsWith("/results"));

describe("ResultsTable", () => {
  beforeEach(() => window.history.replaceState(null, "", "/admin/runs/run_1"));

  it("shows one row per question with the reference, each model's letter and the judge score", async () => {
    serveResults();
    renderPage(<ResultsTable runId="run_1" />);

    await waitFor(() => expect(screen.getByTestId("results-count").textContent).toBe("3 questions · page 1 of 1"));
    const rows = screen.getAllByTestId("result-row");
    expect(rows.map((r) => within(r).getByTestId("reference").textContent)).toEqual(["A", "C", "D"]);
    expect(screen.getByRole("columnheader", { name: "medgpt" })).toBeTruthy();
    const second = rows[1]!;
    expect(second.querySelector('[data-model="medgpt"] [data-verdict]')?.getAttribute("data-verdict")).toBe("wrong");
    expect(second.querySelector('[data-model="base"] [data-verdict]')?.getAttribute("data-verdict")).toBe("correct");
    expect(within(rows[0]!).getByTitle("Judge score (0–5)").textContent).toBe("5/5");
    expect(screen.getByRole("button", { name: "Next" })).toHaveProperty("disabled", true);
  });

  it("asks for the chosen filter, shows only its rows and keeps it in the page URL", async () => {
    const calls = serveResults();
    renderPage(<ResultsTable runId="run_1" />);
    await screen.findByText("3 questions · page 1 of 1");

    await userEvent.selectOptions(screen.getByLabelText("Show"), "wrong");

    await waitFor(() => expect(screen.getByTestId("results-count").textContent).toBe("1 question · page 1 of 1"));
    expect(resultCalls(calls).at(-1)?.search.get("filter")).toBe("wrong");
    expect(screen.getAllByTestId("result-row").map((r) => r.getAttribute("data-item"))).toEqual(["1"]);
    expect(window.location.search).toBe("?filter=wrong");
  });

  it("starts from the filter in the page URL (Back from a question restores it)", async () => {
    const calls = serveResults();
    renderPage(<ResultsTable runId="run_1" />, { searchParams: "filter=wrong" });

    await screen.findByText("1 question · page 1 of 1");
    expect((screen.getByLabelText("Show") as HTMLSelectElement).value).toBe("wrong");
    expect(resultCalls(calls).map((c) => c.search.get("filter"))).toEqual(["wrong"]);
  });

  it("searches after typing stops, and says when nothing matches", async () => {
    const calls = serveResults();
    renderPage(<ResultsTable runId="run_1" />);
    await screen.findByText("3 questions · page 1 of 1");

    await userEvent.type(screen.getByLabelText("Search cases and options"), "appendix");

    expect((await screen.findByTestId("results-empty")).textContent).toBe("No questions match these filters.");
    expect(resultCalls(calls).at(-1)?.search.get("q")).toBe("appendix");
    // One request for the search, not one per keystroke.
    expect(resultCalls(calls).filter((c) => c.search.get("q")).length).toBe(1);
  });

  it("numbers the questions from 1, as people count, while the links keep the API's index", async () => {
    serveResults();
    renderPage(<ResultsTable runId="run_1" />);

    await screen.findByText("3 questions · page 1 of 1");
    const first = screen.getByRole("link", { name: "Question 1: details" });
    expect(first.textContent).toBe("1");
    expect(first.getAttribute("href")).toBe("/admin/runs/run_1/items/0");
    expect(screen.getByRole("link", { name: "Question 3: details" }).getAttribute("href")).toBe(
      "/admin/runs/run_1/items/2",
    );
    expect(screen.queryByRole("link", { name: "Question 0: details" })).toBeNull();
  });

  it("shows each answer's confidence and, for several samples, the vote with its agreement", async () => {
    serveApi(({ path }) => {
      if (path === "/api/runs/run_1") return json(runView({ models: ["medgpt"] }));
      if (path !== "/api/runs/run_1/results") return undefined;
      const row: Row = {
        ...ROWS[1]!,
        answers: [{ ...answer("medgpt", "B", false), confidence: 0.734, voteLetter: "C", agreement: 0.6 }],
      };
      return json({ page: 1, pageSize: 25, totalRows: 1, rows: [row] });
    });
    renderPage(<ResultsTable runId="run_1" />);

    expect((await screen.findByTitle("Confidence in this answer")).textContent).toBe("73%");
    expect(screen.getByText("vote C (60%)")).toBeTruthy();
  });

  it("opens a question's details when its row is clicked", async () => {
    serveResults();
    const { pushed } = renderPage(<ResultsTable runId="run_1" />);

    await userEvent.click(await screen.findByText("A 14-year-old boy with thirst…"));

    expect(pushed).toEqual(["/admin/runs/run_1/items/1"]);
  });
});
