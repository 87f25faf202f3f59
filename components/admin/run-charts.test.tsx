import { act, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { Distributions } from "@/eval/api/schemas";
import { json, renderPage, serveApi } from "@/components/test-utils";
import { RunCharts } from "./run-charts";
import { runView, summary } from "./run-fixture";
import { runQueryKey } from "./use-run";
import { SummaryCards } from "./summary-cards";

type Point = Distributions["points"][number];
const point = (model: string, latencyMs: number): Point => ({
  model,
  status: "ok",
  latencyMs,
  judgeScore: null,
  judgeStatus: null,
});

/**
 * A run of 20 questions × 2 models in progress. Each step records one more answer; the run and its points come
 * from the same server state, as they do in the app.
 */
function serveProgress() {
  const recorded: Point[] = [point("medgpt", 900), point("base", 1500), point("medgpt", 1100), point("base", 1700)];
  const state = { step: 4 };
  const calls = serveApi(({ path }) => {
    const points = recorded.slice(0, state.step);
    const completed = (m: string) => points.filter((p) => p.model === m).length;
    if (path === "/api/runs/run_1")
      return json(
        runView({
          status: "running",
          items: 20,
          total: 40,
          done: points.length,
          finishedAt: null,
          summary: [
            summary("medgpt", { total: 20, completed: completed("medgpt") }),
            summary("base", { total: 20, completed: completed("base") }),
          ],
        }),
      );
    if (path === "/api/runs/run_1/distributions") return json({ points });
    return undefined;
  });
  return { calls, state, recorded };
}

const chartCount = (model: string) =>
  screen.getByTestId("latency-counts").querySelector(`[data-model="${model}"] .tabular-nums`)?.textContent;
const summaryCount = (model: string) =>
  within(screen.getByTestId(`summary-${model}`)).getByText(/^of \d+ answers$/).textContent;

describe("RunCharts while a run is in progress", () => {
  it("the latency chart is refreshed on the same poll as the summary, so both count the same answers", async () => {
    const { calls, state, recorded } = serveProgress();
    const { client } = renderPage(
      <>
        <SummaryCards runId="run_1" />
        <RunCharts runId="run_1" />
      </>,
    );
    await waitFor(() => expect(chartCount("medgpt")).toBe("2"));
    expect(summaryCount("medgpt")).toBe("of 2 answers");

    // One more answer is recorded and the run page polls (a single step: not a tenth of the run).
    recorded.push(point("medgpt", 1300));
    state.step = 5;
    await act(() => client.refetchQueries({ queryKey: runQueryKey("run_1") }));

    await waitFor(() => expect(summaryCount("medgpt")).toBe("of 3 answers"));
    await waitFor(() => expect(chartCount("medgpt")).toBe("3"));
    expect(chartCount("base")).toBe("2");
    expect(summaryCount("base")).toBe("of 2 answers");
    expect(screen.queryByTestId("latency-updating")).toBeNull();
    expect(calls.filter((c) => c.path.endsWith("/distributions"))).toHaveLength(2);
  });

  it("says it is updating, rather than show older figures as current, until the new points arrive", async () => {
    const { state, recorded } = serveProgress();
    let release: () => void = () => {};
    const { client } = renderPage(
      <>
        <SummaryCards runId="run_1" />
        <RunCharts runId="run_1" />
      </>,
    );
    await waitFor(() => expect(chartCount("base")).toBe("2"));

    // The next points are slow to come: the summary is ahead of the chart for a moment.
    const original = globalThis.fetch;
    globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      if (String(input).includes("/distributions")) await new Promise<void>((r) => (release = r));
      return original(input, init);
    }) as typeof fetch;
    recorded.push(point("base", 1900));
    state.step = 5;
    await act(() => client.refetchQueries({ queryKey: runQueryKey("run_1") }));

    await waitFor(() => expect(summaryCount("base")).toBe("of 3 answers"));
    expect(screen.getByTestId("latency-updating").textContent).toBe("updating…");
    expect(screen.getByTestId("latency-histogram").getAttribute("aria-busy")).toBe("true");

    release();
    await waitFor(() => expect(chartCount("base")).toBe("3"));
    expect(screen.queryByTestId("latency-updating")).toBeNull();
  });
});
