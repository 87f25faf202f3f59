import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import type { ComparisonView } from "@/eval/api/schemas";
import type { Letter } from "@/lib/schemas/options";
import { json, renderPage, serveApi, type ApiCall } from "@/components/test-utils";
import { CompareView } from "./compare-view";
import { calibration, runView, summary } from "./run-fixture";

const MODEL_A = "MedGPT-Fine/v2";
const MODEL_B = "gemma2:2b";
const LETTERS: Letter[] = ["A", "B", "C", "D"];

/** 23 paired questions; the two sides disagree on the even ones. */
const ALL_ROWS: ComparisonView["rows"] = Array.from({ length: 23 }, (_, i) => {
  const reference = LETTERS[i % 4]!;
  const other = LETTERS[(i + 1) % 4]!;
  return {
    itemIdx: i,
    caseExcerpt: `Case ${i + 1}: a patient with finding ${i}…`,
    reference,
    a: { letter: reference, exact: true, judgeScore: null },
    b: { letter: i % 2 === 0 ? other : reference, exact: i % 2 !== 0, judgeScore: null },
  };
});

function serveCompare() {
  return serveApi(({ path, search }) => {
    if (path === "/api/runs")
      return json({
        runs: [
          runView({
            name: "Fine-tune against base",
            models: [MODEL_A, MODEL_B],
            summary: [
              summary(MODEL_A, { calibration: calibration([{ lo: 0.8, count: 3, right: 3 }], { ece: 0.05 }) }),
              summary(MODEL_B, { calibration: calibration([{ lo: 0.5, count: 3, right: 1 }], { ece: 0.31 }) }),
            ],
          }),
        ],
      });
    if (path !== "/api/compare") return undefined;
    const filter = search.get("filter") ?? "disagree";
    const page = Number(search.get("page"));
    const pageSize = Number(search.get("pageSize"));
    const rows = ALL_ROWS.filter((r) => filter === "all" || r.a.letter !== r.b.letter);
    const body: ComparisonView = {
      a: { runId: "run_1", model: search.get("modelA")! },
      b: { runId: "run_1", model: search.get("modelB")! },
      paired: 23,
      accuracyA: 1,
      accuracyB: 0.4783,
      accuracyDiff: 0.5217,
      accuracyDiffCi: [0.3176, 0.7259],
      discordant: { aOnly: 12, bOnly: 0 },
      mcnemarP: 0.0005,
      judge: { wins: 0, losses: 0, ties: 0, skipped: 23 },
      differing: [],
      page,
      pageSize,
      filter: filter as ComparisonView["filter"],
      totalRows: rows.length,
      rows: rows.slice((page - 1) * pageSize, page * pageSize),
    };
    return json(body);
  });
}

const compareCalls = (calls: ApiCall[]) => calls.filter((c) => c.path === "/api/compare");
const rowNumbers = () => screen.getAllByTestId("compare-row").map((r) => within(r).getByRole("link").textContent);

describe("CompareView", () => {
  beforeEach(() => window.history.replaceState(null, "", "/admin/compare"));

  it("gives the paired accuracy difference with its 95% interval, named as a Wald interval for matched proportions", async () => {
    serveCompare();
    renderPage(<CompareView initial={{ runA: "run_1", modelA: MODEL_A, runB: "run_1", modelB: MODEL_B }} />);

    expect((await screen.findByTestId("accuracy-diff")).textContent).toBe("+52.2 pp");
    expect(screen.getByTestId("accuracy-diff-ci").textContent).toBe(
      "95% CI +31.8 pp to +72.6 pp (Wald interval for matched proportions)",
    );
  });

  it("shows a case excerpt and the reference on each row, and each side's pick right or wrong in words", async () => {
    serveCompare();
    renderPage(<CompareView initial={{ runA: "run_1", modelA: MODEL_A, runB: "run_1", modelB: MODEL_B }} />);

    const first = (await screen.findAllByTestId("compare-row"))[0]!;
    expect(within(first).getByTestId("case-excerpt").textContent).toBe("Case 1: a patient with finding 0…");
    expect(within(first).getByTestId("reference").textContent).toBe("A");
    expect(first.querySelector('[data-side="A"]')?.textContent).toBe("A✓(right)");
    expect(first.querySelector('[data-side="B"]')?.textContent).toBe("B✗(wrong)");
    // Numbered from 1, linking to the question by its index.
    expect(within(first).getByRole("link", { name: "Question 1: details" }).getAttribute("href")).toBe(
      "/admin/runs/run_1/items/0",
    );
  });

  it("writes model names as they are, not upper-cased like the other column headers", async () => {
    serveCompare();
    renderPage(<CompareView initial={{ runA: "run_1", modelA: MODEL_A, runB: "run_1", modelB: MODEL_B }} />);

    const header = await screen.findByRole("columnheader", { name: `A: ${MODEL_A}` });
    expect(header.className).toContain("normal-case");
    expect(screen.getByRole("columnheader", { name: `B: ${MODEL_B}` }).className).toContain("normal-case");
    expect(screen.getByTestId("accuracy-a").parentElement!.textContent).toContain(MODEL_A);
  });

  it("pages the paired questions, with the page and its size in the request and the URL", async () => {
    const calls = serveCompare();
    renderPage(<CompareView initial={{ runA: "run_1", modelA: MODEL_A, runB: "run_1", modelB: MODEL_B }} />);

    expect(await screen.findByText("12 questions · page 1 of 1")).toBeTruthy();
    await userEvent.selectOptions(screen.getByLabelText("Show"), "all");
    await waitFor(() => expect(screen.getByTestId("compare-count").textContent).toBe("23 questions · page 1 of 1"));
    await userEvent.selectOptions(screen.getByLabelText("Rows per page"), "10");
    await waitFor(() => expect(screen.getByTestId("compare-count").textContent).toBe("23 questions · page 1 of 3"));
    expect(rowNumbers()).toEqual(["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]);

    await userEvent.click(screen.getByRole("button", { name: "Next" }));
    await waitFor(() => expect(screen.getByTestId("compare-count").textContent).toBe("23 questions · page 2 of 3"));
    expect(rowNumbers()).toEqual(["11", "12", "13", "14", "15", "16", "17", "18", "19", "20"]);
    const last = compareCalls(calls).at(-1)!;
    expect([last.search.get("filter"), last.search.get("page"), last.search.get("pageSize")]).toEqual([
      "all",
      "2",
      "10",
    ]);
    expect(new URLSearchParams(window.location.search).get("page")).toBe("2");

    await userEvent.click(screen.getByRole("button", { name: "Last" }));
    await waitFor(() => expect(rowNumbers()).toEqual(["21", "22", "23"]));
    expect(screen.getByRole("button", { name: "Next" })).toHaveProperty("disabled", true);

    // A new filter starts again from page 1.
    await userEvent.selectOptions(screen.getByLabelText("Show"), "disagree");
    await waitFor(() => expect(screen.getByTestId("compare-count").textContent).toBe("12 questions · page 1 of 2"));
  });

  it("offers the results table's filters, and starts from the table state in the URL", async () => {
    const calls = serveCompare();
    renderPage(
      <CompareView
        initial={{ runA: "run_1", modelA: MODEL_A, runB: "run_1", modelB: MODEL_B }}
        initialTable={{ filter: "all", q: "", page: 3, pageSize: 10 }}
      />,
    );

    await waitFor(() => expect(rowNumbers()).toEqual(["21", "22", "23"]));
    expect(compareCalls(calls)[0]!.search.get("page")).toBe("3");
    const options = within(screen.getByLabelText("Show")).getAllByRole("option");
    expect(options.map((o) => o.textContent)).toEqual([
      "All questions",
      "Either side wrong",
      "Errors",
      "The sides disagree",
      "Unparseable verdicts",
    ]);
  });

  it("shows both sides' calibration figures", async () => {
    serveCompare();
    renderPage(<CompareView initial={{ runA: "run_1", modelA: MODEL_A, runB: "run_1", modelB: MODEL_B }} />);

    const rows = await screen.findAllByTestId("calibration-row");
    expect(rows.map((r) => [r.dataset.series, within(r).getByTestId("ece").textContent])).toEqual([
      ["A", "0.050"],
      ["B", "0.310"],
    ]);
    expect(rows[0]!.textContent).toContain(`A: ${MODEL_A}`);
  });
});
