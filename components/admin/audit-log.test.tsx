import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { json, renderPage, serveApi } from "@/components/test-utils";
import { AuditLog, auditTime, type AuditEntry } from "./audit-log";

let nextId = 0;
const entry = (over: Partial<AuditEntry>): AuditEntry => ({
  id: ++nextId,
  at: "2025-03-01T09:00:00.000Z",
  action: "login",
  actor: "admin session",
  target: null,
  detail: null,
  ...over,
});

// Newest first, as GET /api/audit answers.
const ENTRIES: AuditEntry[] = [
  entry({ id: 12, at: "2025-03-01T10:11:12.000Z", action: "key_revoke", target: "key_1", detail: "Ward 7 tool" }),
  entry({ id: 11, at: "2025-03-01T10:10:00.000Z", action: "key_create", target: "key_1", detail: "Ward 7 tool" }),
  entry({
    id: 10,
    at: "2025-03-01T10:05:00.000Z",
    action: "dataset_upload",
    target: "ds_1",
    detail: "cardio.jsonl: 93 accepted, 2 rejected",
  }),
  entry({ id: 9, at: "2025-03-01T10:04:00.000Z", action: "run_label", target: "run_a" }),
  entry({ id: 8, at: "2025-03-01T10:03:00.000Z", action: "run_resume", target: "run_a" }),
  entry({ id: 7, at: "2025-03-01T10:02:00.000Z", action: "run_cancel", target: "run_a" }),
  entry({
    id: 6,
    at: "2025-03-01T10:01:00.000Z",
    action: "run_start",
    actor: "admin token (API)",
    target: "run_a",
    detail: "medgpt, gemma2:2b on ds_1",
  }),
  entry({ id: 5, at: "2025-03-01T09:03:00.000Z", action: "logout" }),
  entry({ id: 4, at: "2025-03-01T09:02:00.000Z", action: "login", detail: "198.51.100.4" }),
  entry({ id: 3, at: "2025-03-01T09:01:00.000Z", action: "login_failed", actor: "203.0.113.9" }),
];

const rows = () => screen.getAllByTestId("audit-row");
const what = () => rows().map((r) => within(r).getByTestId("audit-what").textContent);

describe("AuditLog", () => {
  it("says what happened in plain words, who did it and when, newest first", async () => {
    serveApi(({ path }) => (path === "/api/audit" ? json({ entries: ENTRIES }) : undefined));
    renderPage(<AuditLog />);

    await screen.findByTestId("audit-table");
    expect(what()).toEqual([
      "Revoked API key “Ward 7 tool”",
      "Created API key “Ward 7 tool”",
      "Uploaded dataset cardio.jsonl: 93 accepted, 2 rejected",
      "Changed the name or notes of run run_a",
      "Resumed run run_a",
      "Cancelled run run_a",
      "Started run run_a (medgpt, gemma2:2b on ds_1)",
      "Signed out",
      "Signed in from 198.51.100.4",
      "Failed login from 203.0.113.9",
    ]);

    const [newest] = rows();
    const time = newest!.querySelector("time")!;
    expect(time.getAttribute("dateTime")).toBe("2025-03-01T10:11:12.000Z");
    expect(time.textContent).toBe(
      new Date("2025-03-01T10:11:12.000Z").toLocaleString(undefined, {
        year: "numeric",
        month: "short",
        day: "numeric",
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
      }),
    );
    expect(time.textContent).toBe(auditTime("2025-03-01T10:11:12.000Z"));

    const by = rows().map((r) => r.lastElementChild!.textContent);
    expect(by[0]).toBe("Researcher (dashboard)");
    expect(by[6]).toBe("Script (admin token)");
    expect(by[9]).toBe("Not signed in");

    const started = rows()[6]!;
    expect(within(started).getByRole("link", { name: "run_a" }).getAttribute("href")).toBe("/admin/runs/run_a");
    expect(screen.getByTestId("audit-count").textContent).toBe("The latest 10 actions, newest first.");
  });

  it("keeps newest first even when the answer comes in another order, and names an action it does not know", async () => {
    serveApi(({ path }) =>
      path === "/api/audit"
        ? json({
            entries: [
              entry({ id: 1, action: "logout" }),
              entry({ id: 3, action: "key_rotate", target: "key_9", detail: "nightly" }),
              entry({ id: 2, action: "login" }),
            ],
          })
        : undefined,
    );
    renderPage(<AuditLog />);
    await screen.findByTestId("audit-table");
    expect(what()).toEqual(["key rotate key_9 (nightly)", "Signed in", "Signed out"]);
  });

  it("scrolls sideways inside its own box, so a phone-width page does not", async () => {
    serveApi(({ path }) => (path === "/api/audit" ? json({ entries: ENTRIES }) : undefined));
    renderPage(<AuditLog />);
    const table = await screen.findByTestId("audit-table");
    expect(table.parentElement!.className).toContain("overflow-x-auto");
    expect(table.querySelector("caption")?.textContent).toBe("Audit log, newest first");
  });

  it("says when nothing is recorded, and refreshes on request", async () => {
    let entries: AuditEntry[] = [];
    const calls = serveApi(({ path }) => (path === "/api/audit" ? json({ entries }) : undefined));
    renderPage(<AuditLog />);
    expect((await screen.findByTestId("audit-count")).textContent).toBe("Nothing recorded yet.");
    expect(screen.queryByTestId("audit-table")).toBeNull();

    entries = [entry({ id: 1, action: "logout" })];
    await userEvent.click(screen.getByRole("button", { name: "Refresh" }));
    expect(await screen.findByText("Signed out")).toBeTruthy();
    expect(calls.filter((c) => c.path === "/api/audit")).toHaveLength(2);
  });

  it("shows a failure in the error panel", async () => {
    serveApi(() =>
      json({ error: { code: "unauthorized", message: "Log in first.", fix: "Log in at /admin/login." } }, 401),
    );
    renderPage(<AuditLog />);
    expect((await screen.findByTestId("error-panel")).textContent).toContain("Log in first.");
  });
});
