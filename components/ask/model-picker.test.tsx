import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { askButton, askCalls, fillQuestion, MODELS, renderAskPage, servePage } from "./testing";

const radio = (name: RegExp) => screen.getByRole("radio", { name }) as HTMLInputElement;
const description = (input: HTMLElement) =>
  document.getElementById(input.getAttribute("aria-describedby") ?? "")?.textContent ?? "";

describe("the model picker", () => {
  it("gives each model its label and one line; the base model is marked as an untuned comparison model", async () => {
    servePage({
      models: {
        ...MODELS,
        models: [
          ...MODELS.models,
          { ...MODELS.models[1]!, name: "llama3:8b", label: null, description: null, comparison: false },
        ],
      },
    });
    renderAskPage();

    const medgpt = await screen.findByRole("radio", { name: "MedGPT" });
    expect((medgpt as HTMLInputElement).checked).toBe(true);
    expect(description(medgpt)).toContain("fine-tuned on about 3,700 USMLE-style cases");
    expect(description(medgpt)).toContain("Model name: mrizwank97/medgpt");

    const base = (await screen.findByRole("radio", { name: /^Gemma 2 2B \(base\)/ })) as HTMLInputElement;
    expect(base.getAttribute("aria-labelledby")).toBeTruthy();
    expect(document.getElementById(base.getAttribute("aria-labelledby")!)?.textContent).toBe(
      "Gemma 2 2B (base)Untuned comparison model",
    );
    expect(description(base)).toContain("for comparison only");

    // A model the catalogue lacks appears by its name, with nothing made up about it.
    const other = radio(/^llama3:8b$/);
    expect(other.getAttribute("aria-describedby")).toBeNull();

    expect(within(screen.getByTestId("model-picker")).getAllByRole("radio")).toHaveLength(3);
  });

  it("sends the chosen model", async () => {
    const calls = servePage();
    renderAskPage();
    const user = await fillQuestion();
    await user.click(await screen.findByRole("radio", { name: /Gemma 2 2B \(base\)/ }));
    await user.click(askButton());
    await screen.findByTestId("answer");
    expect(askCalls(calls)[0]!.body).toMatchObject({ model: "gemma2:2b" });
  });

  it("says when the models could not be listed, and still offers the standard model as the server describes it", async () => {
    servePage({ models: { nope: true } });
    renderAskPage();
    expect(await screen.findByText("Could not list the server's models; the standard model is used.")).toBeTruthy();
    const medgpt = radio(/^MedGPT$/);
    expect(medgpt.checked).toBe(true);
    expect(description(medgpt)).toContain("fine-tuned");
    expect(screen.getAllByRole("radio")).toHaveLength(1);
  });
});
