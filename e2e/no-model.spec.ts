import { expect, test } from "@playwright/test";
import { NO_MODEL_PORT } from "../playwright.config";

const BASE = `http://127.0.0.1:${NO_MODEL_PORT}`;

/** Nothing configured and no network: the page must explain how to get a model, not fail obscurely. */
test("with no model anywhere, the page names the ways to get one", async ({ page }, testInfo) => {
  await page.goto(BASE);
  await page.getByLabel("Clinical case").fill("A 40-year-old man has a headache. Which is most likely?");
  await page.locator("#option-A-input").fill("Migraine");
  await page.locator("#option-B-input").fill("Tension headache");
  await page.getByRole("button", { name: "Ask" }).click();

  const panel = page.getByTestId("error-panel");
  await expect(panel).toContainText("No model server");
  await expect(panel).toContainText("MEDGPT_GGUF");
  await expect(panel).toContainText("ollama serve");
  const status = page.getByTestId("backend-status");
  await expect(status).toContainText("embedded");
  await expect(status).toContainText("download of mrizwank97/medgpt failed");
  await expect(status).toContainText("npm run model:pull -- mrizwank97/medgpt");
  const shot = await page.screenshot({ path: "e2e-artifacts/no-model.png", fullPage: true });
  await testInfo.attach("no-model", { body: shot, contentType: "image/png" });
});
