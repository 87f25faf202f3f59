import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { RunView } from "@/eval/api/schemas";
import { json, renderPage, serveApi } from "@/components/test-utils";
import { runView, summary } from "./run-fixture";
import { RunStatusPanel } from "./run-status-panel";

/** Serves one run; cancel and resume change it the way the server does. */
function serveRun(initial: RunView) {
  let run = initial;
  return serveApi(({ method, path }) => {
    if (method === "GET" && path === "/api/runs/run_1") return json(run);
    if (method === "POST" && path === "/api/runs/run_1/cancel") {
      run = { ...run, status: "cancelled", finishedAt: "2026-01-02T10:03:00.000Z" };
      return json(run);
    }
    if (method === "POST" && path === "/api/runs/run_1/resume") {
      run = { ...run, status: "queued", finishedAt: null, error: null };
      return json(run, 202);
    }
    return undefined;
  });
}

const posts = (calls: { method: string; path: string }[]) =>
  calls.filter((c) => c.method === "POST").map((c) => c.path);

const JUDGE_WARNING =
  "Judge failed on 6 of 6 answers: 6 unreadable verdicts. Its scores are not meaningful for this run.";

describe("RunStatusPanel", () => {
  it("shows a running run's status and progress; Cancel run asks first, and only the confirmation cancels", async () => {
    const calls = serveRun(runView({ status: "running", done: 2, finishedAt: null }));
    renderPage(<RunStatusPanel runId="run_1" />);

    expect((await screen.findByTestId("run-status")).textContent).toBe("running");
    expect(screen.getByRole("progressbar", { name: "Generation progress" }).getAttribute("aria-valuetext")).toBe(
      "33% (2 of 6)",
    );
    expect(screen.queryByRole("button", { name: "Resume" })).toBeNull();

    const cancelButton = screen.getByRole("button", { name: "Cancel run" });
    await userEvent.click(cancelButton);

    const dialog = screen.getByRole("dialog", { name: "Cancel this run?" });
    expect(dialog.getAttribute("aria-modal")).toBe("true");
    // It says what happens, and the safe choice has the focus: Enter would keep the run going.
    expect(dialog.textContent).toContain("The 2 of 6 answers it has are kept, and you can resume it later");
    expect(document.activeElement).toBe(within(dialog).getByRole("button", { name: "Keep running" }));
    expect(posts(calls)).toEqual([]);

    await userEvent.click(within(dialog).getByRole("button", { name: "Cancel run" }));

    await waitFor(() => expect(screen.getByTestId("run-status").textContent).toBe("cancelled"));
    expect(posts(calls)).toEqual(["/api/runs/run_1/cancel"]);
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(screen.queryByRole("button", { name: "Cancel run" })).toBeNull();
  });

  it("Keep running and Escape close the confirmation without cancelling, and focus goes back to Cancel run", async () => {
    const calls = serveRun(runView({ status: "running", done: 2, finishedAt: null }));
    renderPage(<RunStatusPanel runId="run_1" />);

    await userEvent.click(await screen.findByRole("button", { name: "Cancel run" }));
    await userEvent.click(screen.getByRole("button", { name: "Keep running" }));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Cancel run" }));

    await userEvent.click(screen.getByRole("button", { name: "Cancel run" }));
    expect(screen.getByRole("dialog")).toBeTruthy();
    await userEvent.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).toBeNull();

    expect(posts(calls)).toEqual([]);
    expect(screen.getByTestId("run-status").textContent).toBe("running");
  });

  it("offers Resume, not Cancel, for an interrupted run; resuming queues it again", async () => {
    const calls = serveRun(runView({ status: "interrupted", done: 4, error: "the model server went away" }));
    renderPage(<RunStatusPanel runId="run_1" />);

    expect(await screen.findByText("Interrupted — not being executed")).toBeTruthy();
    expect(screen.getByRole("alert").textContent).toBe("The run stopped: the model server went away");
    expect(screen.queryByRole("button", { name: "Cancel run" })).toBeNull();

    await userEvent.click(screen.getByRole("button", { name: "Resume" }));

    await waitFor(() => expect(screen.getByTestId("run-status").textContent).toBe("queued"));
    expect(posts(calls)).toEqual(["/api/runs/run_1/resume"]);
    // Queued again: the run is active, so it can be cancelled and no longer offers to resume.
    expect(screen.getByRole("button", { name: "Cancel run" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Resume" })).toBeNull();
  });

  it("a cancelled run can be resumed from the page", async () => {
    const calls = serveRun(runView({ status: "cancelled", done: 3 }));
    renderPage(<RunStatusPanel runId="run_1" />);

    expect(await screen.findByText("Cancelled — not being executed")).toBeTruthy();
    await userEvent.click(screen.getByRole("button", { name: "Resume" }));

    await waitFor(() => expect(screen.getByTestId("run-status").textContent).toBe("queued"));
    expect(posts(calls)).toEqual(["/api/runs/run_1/resume"]);
  });

  it("offers to retry the failed items of a partial run", async () => {
    serveRun(runView({ status: "partial", errors: 2 }));
    renderPage(<RunStatusPanel runId="run_1" />);

    expect(await screen.findByText("Finished with 2 failed generations")).toBeTruthy();
    expect(screen.getByText("2 generations failed (see the Errors filter below).")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Retry failed items" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Cancel run" })).toBeNull();
  });

  it("offers neither cancel nor resume for a completed run, and shows both exports", async () => {
    serveRun(runView({ status: "completed" }));
    renderPage(<RunStatusPanel runId="run_1" />);

    expect((await screen.findByTestId("run-status")).textContent).toBe("completed");
    expect(screen.queryAllByRole("button")).toEqual([]);
    expect(screen.getByTestId("mirror-status").textContent).toContain("not configured");
    expect(screen.getByRole("link", { name: "Export CSV" }).getAttribute("href")).toBe(
      "/api/runs/run_1/export?format=csv",
    );
    expect(screen.getByRole("link", { name: "Export JSONL" }).getAttribute("href")).toBe(
      "/api/runs/run_1/export?format=jsonl",
    );
    expect(screen.queryByTestId("run-warnings")).toBeNull();
  });

  it("a completed run with warnings says so in an amber banner, not as a healthy run", async () => {
    serveRun(runView({ status: "completed", judge: "ollama:judge", warnings: [JUDGE_WARNING] }));
    renderPage(<RunStatusPanel runId="run_1" />);

    const banner = await screen.findByTestId("run-warnings");
    expect(banner.getAttribute("role")).toBe("alert");
    expect(banner.textContent).toContain("This run has a problem");
    expect(within(banner).getByRole("listitem").textContent).toBe(JUDGE_WARNING);
    expect(banner.className).toContain("amber");
    expect(banner.className).not.toMatch(/emerald|green/);
  });

  it("counts the judge's unreadable verdicts apart from its scores, instead of calling every answer judged", async () => {
    serveRun(
      runView({
        status: "completed",
        judge: "ollama:judge",
        judged: 6,
        warnings: [JUDGE_WARNING],
        summary: [
          summary("medgpt", { judged: 0, unparseableVerdicts: 3 }),
          summary("base", { judged: 0, unparseableVerdicts: 3 }),
        ],
      }),
    );
    renderPage(<RunStatusPanel runId="run_1" />);

    const line = await screen.findByTestId("judge-line");
    expect(line.textContent).toBe("Judge verdicts on 6 completed answers: 0 scored, 6 unreadable.");
    expect(line.className).toContain("amber");
  });

  it("shows the server's error when cancelling fails, and keeps the Cancel button", async () => {
    serveApi(({ method, path }) => {
      if (method === "GET" && path === "/api/runs/run_1")
        return json(runView({ status: "running", done: 1, finishedAt: null }));
      if (method === "POST")
        return json({ error: { code: "conflict", message: "The run is finishing already." } }, 409);
      return undefined;
    });
    renderPage(<RunStatusPanel runId="run_1" />);

    await userEvent.click(await screen.findByRole("button", { name: "Cancel run" }));
    await userEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Cancel run" }));

    expect((await screen.findByTestId("error-panel")).textContent).toContain("The run is finishing already.");
    expect(screen.getByRole("button", { name: "Cancel run" })).toBeTruthy();
  });
});
