import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { RunView } from "@/eval/api/schemas";
import { json, renderPage, serveApi } from "@/components/test-utils";
import { runView } from "./run-fixture";
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

describe("RunStatusPanel", () => {
  it("shows a running run's status and progress, and Cancel run stops it", async () => {
    const calls = serveRun(runView({ status: "running", done: 2, finishedAt: null }));
    renderPage(<RunStatusPanel runId="run_1" />);

    expect((await screen.findByTestId("run-status")).textContent).toBe("running");
    expect(screen.getByRole("progressbar", { name: "Generation progress" }).getAttribute("aria-valuetext")).toBe(
      "33% (2 of 6)",
    );
    expect(screen.queryByRole("button", { name: "Resume" })).toBeNull();

    await userEvent.click(screen.getByRole("button", { name: "Cancel run" }));

    await waitFor(() => expect(screen.getByTestId("run-status").textContent).toBe("cancelled"));
    expect(posts(calls)).toEqual(["/api/runs/run_1/cancel"]);
    expect(screen.queryByRole("button", { name: "Cancel run" })).toBeNull();
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

  it("offers to retry the failed items of a partial run", async () => {
    serveRun(runView({ status: "partial", errors: 2 }));
    renderPage(<RunStatusPanel runId="run_1" />);

    expect(await screen.findByText("Finished with 2 failed generations")).toBeTruthy();
    expect(screen.getByText("2 generations failed (see the Errors filter below).")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Retry failed items" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Cancel run" })).toBeNull();
  });

  it("offers neither cancel nor resume for a completed run", async () => {
    serveRun(runView({ status: "completed" }));
    renderPage(<RunStatusPanel runId="run_1" />);

    expect((await screen.findByTestId("run-status")).textContent).toBe("completed");
    expect(screen.queryAllByRole("button")).toEqual([]);
    expect(screen.getByTestId("mirror-status").textContent).toContain("not configured");
    expect(screen.getByRole("link", { name: "Export CSV" }).getAttribute("href")).toBe(
      "/api/runs/run_1/export?format=csv",
    );
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

    expect((await screen.findByTestId("error-panel")).textContent).toContain("The run is finishing already.");
    expect(screen.getByRole("button", { name: "Cancel run" })).toBeTruthy();
  });
});
