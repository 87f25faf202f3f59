import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { Button } from "./button";
import { Field } from "./field";
import { TextInput } from "./inputs";

const describedBy = (el: HTMLElement) =>
  document.getElementById(el.getAttribute("aria-describedby") ?? "")?.textContent;

describe("Field", () => {
  it("labels its control and describes it with the hint", () => {
    render(
      <Field id="seed" label="Seed" hint="Picks the sample.">
        {(control) => <TextInput {...control} />}
      </Field>,
    );
    const input = screen.getByLabelText("Seed");
    expect(input.id).toBe("seed");
    expect(describedBy(input)).toBe("Picks the sample.");
    expect(input.getAttribute("aria-invalid")).toBeNull();
  });

  it("shows the error in place of the hint and marks the control invalid", () => {
    render(
      <Field id="seed" label="Seed" hint="Picks the sample." error="must be a whole number">
        {(control) => <TextInput {...control} />}
      </Field>,
    );
    const input = screen.getByLabelText("Seed");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(describedBy(input)).toBe("must be a whole number");
    expect(screen.getByTestId("seed-error").textContent).toBe("must be a whole number");
    expect(screen.queryByText("Picks the sample.")).toBeNull();
  });

  it("lets two controls share one message through noteId", () => {
    render(
      <Field id="judge-model" noteId="judge" label="Judge model" error="Name the judge model.">
        {(control) => <TextInput {...control} />}
      </Field>,
    );
    expect(screen.getByLabelText("Judge model").getAttribute("aria-describedby")).toBe("judge-error");
  });
});

describe("Button", () => {
  it("does not submit its form unless it is a submit button", async () => {
    let submits = 0;
    render(
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submits++;
        }}
      >
        <Button>Remove</Button>
        <Button type="submit" variant="primary">
          Save
        </Button>
      </form>,
    );
    await userEvent.click(screen.getByRole("button", { name: "Remove" }));
    expect(submits).toBe(0);
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(submits).toBe(1);
  });

  it("ignores clicks while disabled", async () => {
    let clicks = 0;
    render(
      <Button variant="danger" disabled onClick={() => clicks++}>
        Cancel run
      </Button>,
    );
    await userEvent.click(screen.getByRole("button", { name: "Cancel run" }));
    expect(clicks).toBe(0);
  });
});
