import { describe, expect, it } from "vitest";
import { healthBody } from "@/components/health-test-data";
import { backendStatusLabel } from "./backend-status-label";

const health = healthBody;

describe("backendStatusLabel", () => {
  it("ok → ready, with the version and (auto) in auto mode", () => {
    expect(backendStatusLabel(health({}))).toBe("Backend: ollama 0.12.3 · ready");
    expect(backendStatusLabel(health({ mode: "auto" }))).toBe("Backend: ollama 0.12.3 (auto) · ready");
  });

  it("degraded with the model known to be missing → says it is missing", () => {
    const label = backendStatusLabel(
      health({ status: "degraded", defaultModel: { name: "mrizwank97/medgpt", present: false } }),
    );
    expect(label).toBe("Backend: ollama 0.12.3 · default model mrizwank97/medgpt is missing");
  });

  it("degraded because the check failed (present: null) → says the check failed, not that the model is missing", () => {
    const label = backendStatusLabel(
      health({
        status: "degraded",
        backend: { name: "openai", reachable: true, version: null, detail: "The server answered 500." },
        defaultModel: { name: "mrizwank97/medgpt", present: null },
        mode: "openai",
      }),
    );
    expect(label).not.toMatch(/missing/);
    expect(label).toBe("Backend: openai · could not check whether default model mrizwank97/medgpt is available");
  });

  it("unavailable → unreachable", () => {
    const label = backendStatusLabel(
      health({ status: "unavailable", backend: { name: "ollama", reachable: false, version: null, detail: "down" } }),
    );
    expect(label).toBe("Backend: ollama · unreachable");
  });
});
