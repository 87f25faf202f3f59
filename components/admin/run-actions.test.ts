import { describe, expect, it } from "vitest";
import type { RunView } from "@/eval/api/schemas";
import { RESUMABLE_STATUSES } from "@/eval/domain";
import { canRetryMirror, mirrorUrl, recoveryAction, resumeUrl } from "./run-actions";

type Status = RunView["status"];
type Mirror = RunView["mirror"]["status"];
const run = (status: Status, mirror: Mirror = "disabled", errors = 0) => ({
  id: "run_1",
  status,
  errors,
  mirror: { status: mirror, error: mirror === "failed" ? "HTTP 500" : null, url: null },
});

const ALL: Status[] = ["queued", "running", "completed", "partial", "cancelled", "failed", "interrupted"];
const FINISHED: Status[] = ["completed", "partial", "cancelled", "failed", "interrupted"];

describe("canRetryMirror", () => {
  it("a failed mirror can be retried", () => {
    for (const s of ALL) expect(canRetryMirror(run(s, "failed")), s).toBe(true);
  });

  it("a mirror still pending after the run finished can be retried (nothing will mirror it otherwise)", () => {
    for (const s of FINISHED) expect(canRetryMirror(run(s, "pending")), s).toBe(true);
  });

  it("not while the run is queued or running (it is mirrored when it ends), nor once mirrored or without Weave", () => {
    expect(canRetryMirror(run("queued", "pending"))).toBe(false);
    expect(canRetryMirror(run("running", "pending"))).toBe(false);
    for (const s of ALL) {
      expect(canRetryMirror(run(s, "mirrored")), s).toBe(false);
      expect(canRetryMirror(run(s, "disabled")), s).toBe(false);
    }
  });
});

describe("recoveryAction", () => {
  it("an interrupted run says plainly that nothing executes it, and offers Resume", () => {
    const a = recoveryAction(run("interrupted"));
    expect(a).toMatchObject({ kind: "resume", label: "Resume", headline: "Interrupted — not being executed" });
  });

  it("a partial run offers Retry failed items, counting them", () => {
    expect(recoveryAction(run("partial", "disabled", 3))).toMatchObject({
      kind: "retry-failed",
      label: "Retry failed items",
      headline: "Finished with 3 failed generations",
    });
    expect(recoveryAction(run("partial", "disabled", 1))?.headline).toBe("Finished with 1 failed generation");
  });

  it("a cancelled run can be resumed: it says nothing executes it, and offers Resume", () => {
    expect(recoveryAction(run("cancelled"))).toMatchObject({
      kind: "resume",
      label: "Resume",
      headline: "Cancelled — not being executed",
    });
  });

  it("a failed run offers to try again once the cause is fixed", () => {
    expect(recoveryAction(run("failed"))).toMatchObject({ kind: "resume", label: "Try again" });
    expect(recoveryAction(run("failed"))?.detail).toContain("Fix the cause first");
  });

  it("every resumable status of the API offers a way on, and nothing else does", () => {
    for (const s of ALL) expect(recoveryAction(run(s)) !== null, s).toBe(RESUMABLE_STATUSES.includes(s));
  });
});

describe("endpoints", () => {
  it("resume and mirror POST to the run's own URLs, the id encoded", () => {
    expect(resumeUrl("run_1")).toBe("/api/runs/run_1/resume");
    expect(mirrorUrl("run 1/x")).toBe("/api/runs/run%201%2Fx/mirror");
  });
});
