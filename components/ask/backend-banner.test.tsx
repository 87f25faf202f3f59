import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { askButton, askCalls, healthBody, renderAskPage, servePage } from "./testing";

const NO_MODEL = healthBody({
  status: "unavailable",
  backend: {
    name: "embedded",
    reachable: false,
    version: null,
    detail: "No GGUF file: the download of mrizwank97/medgpt failed (ECONNREFUSED).",
  },
  defaultModel: { name: "mrizwank97/medgpt", present: null },
  mode: "auto",
  fix: "Start Ollama (`ollama serve`, then `ollama pull mrizwank97/medgpt`), set MEDGPT_GGUF=/path/to/model.gguf, or run `npm run model:pull -- mrizwank97/medgpt` with internet access.",
});

describe("the ask page: no model reachable", () => {
  it("says so in a banner at the top before anything is typed, and disables Ask with the reason", async () => {
    const calls = servePage({ health: NO_MODEL });
    renderAskPage();

    const banner = await screen.findByTestId("backend-banner");
    expect(banner.textContent).toContain("No model is available, so MedGPT cannot answer questions right now.");
    // The banner comes before the form.
    expect(
      banner.compareDocumentPosition(screen.getByLabelText("Clinical case")) & Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
    await waitFor(() => expect(askButton().disabled).toBe(true));
    const reason = document.getElementById(askButton().getAttribute("aria-describedby")!);
    expect(reason?.textContent).toBe("Ask is unavailable: no model is running on the server.");
    expect(screen.getByTestId("backend-status").textContent).toContain("No model available");

    // The technical part is for the administrator, behind a disclosure, commands shown as code.
    const details = within(banner).getByTestId("backend-admin-details") as HTMLDetailsElement;
    expect(details.open).toBe(false);
    const outside = banner.cloneNode(true) as HTMLElement;
    outside.querySelector("details")!.remove();
    expect(outside.textContent).not.toMatch(/`|MEDGPT_|ollama serve|npm run|https?:/);
    await userEvent.click(within(details).getByText("Details for your administrator"));
    expect(details.open).toBe(true);
    expect(details.textContent).toContain("MEDGPT_GGUF");
    expect(within(details).getByText("npm run model:pull -- mrizwank97/medgpt").tagName).toBe("CODE");
    expect(details.textContent).toContain("download of mrizwank97/medgpt failed");

    // Ctrl+Enter does not get round the disabled button.
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Clinical case"), "A case");
    await user.keyboard("{Control>}{Enter}{/Control}");
    expect(askCalls(calls)).toEqual([]);
  });

  it("shows the download's progress while the model downloads", async () => {
    servePage({
      health: {
        ...NO_MODEL,
        pull: {
          model: "mrizwank97/medgpt",
          status: "downloading",
          receivedBytes: 450 * 1024 * 1024,
          totalBytes: 1000 * 1024 * 1024,
          error: null,
        },
      },
    });
    renderAskPage();
    const banner = await screen.findByTestId("backend-banner");
    expect(banner.textContent).toContain("MedGPT is downloading its model (45% done).");
    expect(within(banner).getByRole("progressbar", { name: "Model download" }).getAttribute("value")).toBe("45");
    await waitFor(() => expect(askButton().disabled).toBe(true));
  });

  it("with the standard model missing, warns, and blocks Ask only for that model", async () => {
    servePage({
      health: healthBody({ status: "degraded", defaultModel: { name: "mrizwank97/medgpt", present: false } }),
      models: {
        backend: "ollama",
        defaultModel: "mrizwank97/medgpt",
        models: [
          {
            name: "gemma2:2b",
            sizeBytes: 1,
            family: null,
            parameterSize: null,
            quantization: null,
            label: "Gemma 2 2B (base)",
            description: "The untuned base model, for comparison only; not trained for this task.",
            comparison: true,
          },
        ],
      },
    });
    renderAskPage();
    const banner = await screen.findByTestId("backend-banner");
    expect(banner.textContent).toContain("The standard model is not installed on this server.");
    await waitFor(() => expect(askButton().disabled).toBe(true));
    expect(await screen.findByText("Not installed on this server.")).toBeTruthy();

    await userEvent.click(screen.getByRole("radio", { name: /Gemma 2 2B \(base\)/ }));
    expect(askButton().disabled).toBe(false);
  });

  it("shows no banner when the model is ready", async () => {
    servePage();
    renderAskPage();
    expect(await screen.findByTestId("backend-status")).toHaveProperty("textContent", "Model server ready");
    expect(screen.queryByTestId("backend-banner")).toBeNull();
    expect(askButton().disabled).toBe(false);
  });
});
