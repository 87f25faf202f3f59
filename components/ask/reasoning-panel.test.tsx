import { act, fireEvent, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { ReasoningPanel } from "./reasoning-panel";

const box = () => screen.getByTestId("reasoning");
const details = () => screen.getByTestId("reasoning-panel").querySelector("details")!;

/** jsdom lays nothing out: give the box a size, as a browser would. */
function sized(el: HTMLElement, size: { height: () => number; client: number }) {
  Object.defineProperty(el, "scrollHeight", { configurable: true, get: size.height });
  Object.defineProperty(el, "clientHeight", { configurable: true, get: () => size.client });
}

describe("ReasoningPanel", () => {
  it("renders paragraphs in proportional type, collapsible, and outside any live region", async () => {
    render(<ReasoningPanel text={"First finding.\nSame paragraph.\n\nSecond paragraph."} writing={false} />);
    const paras = box().querySelectorAll("p");
    expect([...paras].map((p) => p.textContent)).toEqual(["First finding.\nSame paragraph.", "Second paragraph."]);
    expect(box().className).not.toContain("font-mono");
    expect(box().closest("[aria-live],[role=status],[role=log],[role=alert]")).toBeNull();
    expect(box().getAttribute("aria-live")).toBeNull();

    expect(details().open).toBe(true);
    await userEvent.click(screen.getByText("Model's reasoning"));
    expect(details().open).toBe(false);
  });

  it("says it is still writing while it streams, and stops saying so when done", () => {
    const { rerender } = render(<ReasoningPanel text="Thinking" writing />);
    expect(screen.getByTestId("still-writing").textContent).toBe("Still writing…");
    // A scrolling box must be reachable from the keyboard.
    expect(box().getAttribute("tabindex")).toBe("0");
    rerender(<ReasoningPanel text="Thinking done" writing={false} />);
    expect(screen.queryByTestId("still-writing")).toBeNull();
  });

  it("follows the newest text unless the reader scrolled up, and jumps back on request", async () => {
    let height = 800;
    const { rerender } = render(<ReasoningPanel text="One" writing />);
    sized(box(), { height: () => height, client: 300 });

    rerender(<ReasoningPanel text="One two" writing />);
    expect(box().scrollTop).toBe(800);

    box().scrollTop = 200;
    fireEvent.scroll(box());
    height = 1200;
    rerender(<ReasoningPanel text="One two three" writing />);
    expect(box().scrollTop).toBe(200);

    await act(async () => userEvent.click(screen.getByRole("button", { name: "Jump to the newest text ↓" })));
    expect(box().scrollTop).toBe(1200);
    height = 1500;
    rerender(<ReasoningPanel text="One two three four" writing />);
    expect(box().scrollTop).toBe(1500);
  });

  it("says when a stopped answer is incomplete", () => {
    render(<ReasoningPanel text="Partial" writing={false} note="incomplete" />);
    expect(screen.getByRole("heading").textContent).toBe("Model's reasoning (incomplete)");
  });
});
