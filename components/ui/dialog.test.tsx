import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import { ConfirmDialog } from "./dialog";

function Harness({ onConfirm }: { onConfirm: () => void }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button onClick={() => setOpen(true)}>Delete everything</button>
      <ConfirmDialog
        open={open}
        title="Delete everything?"
        confirmLabel="Delete"
        keepLabel="Keep it"
        onConfirm={() => {
          onConfirm();
          setOpen(false);
        }}
        onKeep={() => setOpen(false)}
      >
        <p>This cannot be undone.</p>
      </ConfirmDialog>
    </>
  );
}

describe("ConfirmDialog", () => {
  it("is a named, described modal dialog whose safe button has the focus", async () => {
    render(<Harness onConfirm={() => {}} />);
    await userEvent.click(screen.getByRole("button", { name: "Delete everything" }));

    const dialog = screen.getByRole("dialog", { name: "Delete everything?" });
    expect(dialog.getAttribute("aria-modal")).toBe("true");
    expect(document.getElementById(dialog.getAttribute("aria-describedby")!)?.textContent).toBe(
      "This cannot be undone.",
    );
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Keep it" }));
  });

  it("keeps Tab inside the dialog in both directions", async () => {
    render(<Harness onConfirm={() => {}} />);
    await userEvent.click(screen.getByRole("button", { name: "Delete everything" }));
    const keep = screen.getByRole("button", { name: "Keep it" });
    const del = screen.getByRole("button", { name: "Delete" });

    await userEvent.tab();
    expect(document.activeElement).toBe(del);
    await userEvent.tab();
    expect(document.activeElement).toBe(keep);
    await userEvent.tab({ shift: true });
    expect(document.activeElement).toBe(del);
  });

  it("Escape keeps things as they are and gives the focus back", async () => {
    const onConfirm = vi.fn();
    render(<Harness onConfirm={onConfirm} />);
    const opener = screen.getByRole("button", { name: "Delete everything" });
    await userEvent.click(opener);
    await userEvent.keyboard("{Escape}");

    expect(screen.queryByRole("dialog")).toBeNull();
    expect(document.activeElement).toBe(opener);
    expect(onConfirm).not.toHaveBeenCalled();

    await userEvent.click(opener);
    await userEvent.click(screen.getByRole("button", { name: "Delete" }));
    expect(onConfirm).toHaveBeenCalledTimes(1);
  });
});
