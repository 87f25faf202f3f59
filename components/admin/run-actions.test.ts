import { describe, expect, it } from "vitest";
import type { RunView } from "@/eval/api/schemas";
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

  it("nothing for the other states", () => {
    for (const s of ["queued", "running", "completed", "cancelled", "failed"] as const)
      expect(recoveryAction(run(s)), s).toBeNull();
  });
});

describe("endpoints", () => {
  it("resume and mirror POST to the run's own URLs, the id encoded", () => {
    expect(resumeUrl("run_1")).toBe("/api/runs/run_1/resume");
    expect(mirrorUrl("run 1/x")).toBe("/api/runs/run%201%2Fx/mirror");
  });
});
