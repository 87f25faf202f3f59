import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { JudgesResponse } from "@/eval/api/schemas";
import { json, renderPage, serveApi, type ApiHandler } from "@/components/test-utils";
import { NewRunForm, SAMPLES_NEED_TEMPERATURE } from "./new-run-form";
import { runView } from "./run-fixture";

const DATASETS = {
  datasets: [
    {
      id: "ds_1",
      name: "Cardiology set",
      format: "medical-reasoning",
      source: null,
      itemCount: 12,
      rejectedCount: 0,
      createdAt: "2026-01-02T10:00:00.000Z",
    },
  ],
};

const JUDGES: JudgesResponse = {
  default: "none",
  providers: [
    {
      provider: "groq",
      example: "groq:openai/gpt-oss-120b",
      available: false,
      reason: "GROQ_API_KEY is not set",
      models: null,
    },
    {
      provider: "ollama",
      example: "ollama:llama3.1:8b",
      available: true,
      reason: null,
      models: ["qwen3:8b", "gemma2:2b"],
    },
  ],
};

function serveForm(extra: ApiHandler = () => undefined) {
  return serveApi((call) => {
    if (call.path === "/api/datasets") return json(DATASETS);
    if (call.path === "/api/judges") return json(JUDGES);
    return extra(call);
  });
}

const samplesField = () => screen.getByLabelText("Samples per question");

describe("NewRunForm: samples per question", () => {
  it("has a samples field, 1 by default, and sends it with the temperature", async () => {
    const calls = serveForm(({ method, path }) =>
      method === "POST" && path === "/api/runs" ? json(runView({ id: "run_new" }), 202) : undefined,
    );
    const { pushed } = renderPage(<NewRunForm initialDatasetId={null} defaultModel="medgpt" />);
    await screen.findByRole("option", { name: "Cardiology set (12 items)" });

    expect((samplesField() as HTMLInputElement).value).toBe("1");
    await userEvent.clear(screen.getByLabelText("Temperature"));
    await userEvent.type(screen.getByLabelText("Temperature"), "0.7");
    await userEvent.clear(samplesField());
    await userEvent.type(samplesField(), "5");
    await userEvent.click(screen.getByRole("button", { name: "Start run" }));

    await waitFor(() => expect(pushed).toEqual(["/admin/runs/run_new"]));
    const post = calls.find((c) => c.method === "POST")!;
    expect(post.body).toMatchObject({ samples: 5, temperature: 0.7, datasetId: "ds_1", models: ["medgpt"] });
  });

  it("says at once, by the field, that more than one sample needs a temperature above 0, and does not send", async () => {
    const calls = serveForm();
    renderPage(<NewRunForm initialDatasetId={null} defaultModel="medgpt" />);
    await screen.findByRole("option", { name: "Cardiology set (12 items)" });

    await userEvent.clear(samplesField());
    await userEvent.type(samplesField(), "3");

    expect(screen.getByTestId("run-samples-error").textContent).toBe(SAMPLES_NEED_TEMPERATURE);
    expect(samplesField().getAttribute("aria-invalid")).toBe("true");
    expect(samplesField().getAttribute("aria-describedby")).toBe("run-samples-error");

    await userEvent.click(screen.getByRole("button", { name: "Start run" }));
    expect(calls.filter((c) => c.method === "POST")).toEqual([]);

    // A temperature above 0 clears it.
    await userEvent.clear(screen.getByLabelText("Temperature"));
    await userEvent.type(screen.getByLabelText("Temperature"), "0.5");
    expect(screen.queryByTestId("run-samples-error")).toBeNull();
  });

  it("shows the API's objection by the field it names", async () => {
    serveForm(({ method, path }) =>
      method === "POST" && path === "/api/runs"
        ? json(
            {
              error: {
                code: "invalid_request",
                message: "The request is not valid.",
                issues: [{ path: ["samples"], message: "at most 10 samples on this server" }],
              },
            },
            400,
          )
        : undefined,
    );
    renderPage(<NewRunForm initialDatasetId={null} defaultModel="medgpt" />);
    await screen.findByRole("option", { name: "Cardiology set (12 items)" });
    await userEvent.clear(screen.getByLabelText("Temperature"));
    await userEvent.type(screen.getByLabelText("Temperature"), "1");
    await userEvent.clear(samplesField());
    await userEvent.type(samplesField(), "15");
    await userEvent.click(screen.getByRole("button", { name: "Start run" }));

    expect((await screen.findByTestId("run-samples-error")).textContent).toBe("at most 10 samples on this server");
    // The request's field names stay in the administrator's details.
    const panel = screen.getByTestId("error-panel");
    expect(panel.querySelector("details")?.textContent).toContain("samples");
  });
});

describe("NewRunForm: judge", () => {
  it("offers Ollama's pulled models as a list to choose from", async () => {
    const calls = serveForm(({ method, path }) =>
      method === "POST" && path === "/api/runs" ? json(runView({ id: "run_new" }), 202) : undefined,
    );
    renderPage(<NewRunForm initialDatasetId={null} defaultModel="medgpt" />);
    await screen.findByRole("option", { name: "Cardiology set (12 items)" });

    await userEvent.selectOptions(screen.getByLabelText("Judge"), "ollama");
    const model = screen.getByLabelText("Judge model") as HTMLSelectElement;
    expect(model.tagName).toBe("SELECT");
    expect([...model.options].map((o) => o.value)).toEqual(["qwen3:8b", "gemma2:2b"]);
    // The example model is not pulled here, so the first pulled one is chosen.
    expect(model.value).toBe("qwen3:8b");
    await userEvent.selectOptions(model, "gemma2:2b");
    await userEvent.click(screen.getByRole("button", { name: "Start run" }));

    await waitFor(() =>
      expect(calls.find((c) => c.method === "POST")?.body).toMatchObject({ judge: "ollama:gemma2:2b" }),
    );
  });

  it("a judge this server cannot use is disabled; why is in the administrator's details", async () => {
    serveForm();
    renderPage(<NewRunForm initialDatasetId={null} defaultModel="medgpt" />);

    const groq = await screen.findByRole("option", { name: "Groq (not set up on this server)" });
    expect((groq as HTMLOptionElement).disabled).toBe(true);
    const details = screen.getByTestId("judge-unavailable");
    expect(details.tagName).toBe("DETAILS");
    expect(details.textContent).toContain("GROQ_API_KEY is not set");
  });
});
