import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ReasoningPanel } from "./reasoning-panel";

const reasoning = () => screen.getByTestId("reasoning");
const phase = () => screen.getByTestId("phase").textContent;

describe("ReasoningPanel", () => {
  it("invites a question before anything is asked", () => {
    render(<ReasoningPanel text="" phase="idle" />);
    expect(screen.getByRole("region", { name: "Model reasoning" })).toBeTruthy();
    expect(reasoning().textContent).toBe("The reasoning will stream here.");
    expect(phase()).toBe("");
    expect(reasoning().getAttribute("aria-busy")).toBe("false");
  });

  it("says it is waiting, without the invitation, until the first token", () => {
    render(<ReasoningPanel text="" phase="waiting" />);
    expect(phase()).toBe("Waiting for the model…");
    expect(reasoning().textContent).toBe("");
    expect(reasoning().getAttribute("aria-busy")).toBe("true");
  });

  it("shows the streamed text as it arrives, announced politely", () => {
    render(<ReasoningPanel text={"<analysis>Pleuritic pain after a flight"} phase="streaming" />);
    expect(phase()).toBe("Reasoning…");
    expect(reasoning().textContent).toBe("<analysis>Pleuritic pain after a flight");
    expect(reasoning().getAttribute("aria-live")).toBe("polite");
    expect(reasoning().getAttribute("aria-busy")).toBe("true");
  });

  it("keeps the text when stopped or finished, and is no longer busy", () => {
    const { rerender } = render(<ReasoningPanel text="partial thoughts" phase="stopped" />);
    expect(phase()).toBe("Stopped");
    expect(reasoning().textContent).toBe("partial thoughts");
    expect(reasoning().getAttribute("aria-busy")).toBe("false");

    rerender(<ReasoningPanel text="all thoughts" phase="done" />);
    expect(phase()).toBe("Finished");
    expect(reasoning().textContent).toBe("all thoughts");
  });
});
