import { expect, test } from "@playwright/test";
import { NO_MODEL_PORT } from "../playwright.config";

const BASE = `http://127.0.0.1:${NO_MODEL_PORT}`;

/**
 * Nothing configured and no network: before anyone types, the page says no model can answer and Ask is disabled with
 * the reason; the ways to get a model are there for the administrator.
 */
test("with no model anywhere, the page says so up front and names the ways to get one", async ({ page }, testInfo) => {
  await page.goto(BASE);

  const banner = page.getByTestId("backend-banner");
  await expect(banner).toContainText("No model is available, so MedGPT cannot answer questions right now.");
  const ask = page.getByRole("button", { name: "Ask" });
  await expect(ask).toBeDisabled();
  await expect(ask).toHaveAccessibleDescription("Ask is unavailable: no model is running on the server.");
  await expect(page.getByTestId("backend-status")).toContainText("No model available");

  // Commands and settings are for the administrator, behind the disclosure.
  await expect(banner.getByText("MEDGPT_GGUF")).toBeHidden();
  await banner.getByText("Details for your administrator").click();
  const details = banner.getByTestId("backend-admin-details");
  await expect(details).toContainText("embedded");
  await expect(details).toContainText("download of mrizwank97/medgpt failed");
  await expect(details).toContainText("MEDGPT_GGUF");
  await expect(details).toContainText("ollama serve");
  await expect(details).toContainText("npm run model:pull -- mrizwank97/medgpt");

  // Writing the question meanwhile is fine; it just cannot be sent.
  await page.getByLabel("Clinical case").fill("A 40-year-old man has a headache. Which is most likely?");
  await page.getByLabel("Clinical case").press("Control+Enter");
  await expect(page.getByTestId("answer-placeholder")).toBeVisible();

  const shot = await page.screenshot({ path: "e2e-artifacts/no-model.png", fullPage: true });
  await testInfo.attach("no-model", { body: shot, contentType: "image/png" });
});
