import { expect, test } from "@playwright/test";
import { NO_MODEL_PORT } from "../playwright.config";
import { expectNoSeriousA11yViolations } from "./axe";
import { controlStandin, resetStandin } from "./standin-control";

// axe-core on the clinician page in its main states and on the API docs. The admin pages are checked in
// admin.spec.ts, where the browser is logged in and a run exists.

test.beforeEach(async () => {
  await resetStandin();
});

test("the ask page has no serious accessibility violation, idle, invalid, answered or without a model", async ({
  page,
}) => {
  await page.goto("/");
  await expect(page.getByTestId("backend-status")).toContainText("ready");
  await expectNoSeriousA11yViolations(page, "/ (idle)");

  await page.getByRole("button", { name: "Ask" }).click();
  await expect(page.locator("#case-error")).toHaveText("Enter the clinical case");
  await expectNoSeriousA11yViolations(page, "/ (invalid fields)");

  await page.getByLabel("Clinical case").fill("A 40-year-old man has a headache. Which is most likely?");
  await page.locator("#option-A-input").fill("Migraine");
  await page.locator("#option-B-input").fill("Tension headache");
  await page.getByRole("button", { name: "Ask" }).click();
  await expect(page.getByTestId("answer")).toBeVisible();
  await expectNoSeriousA11yViolations(page, "/ (answered, with history)");

  await page.goto(`http://127.0.0.1:${NO_MODEL_PORT}/`);
  await expect(page.getByTestId("backend-banner")).toBeVisible();
  await page.getByText("Details for your administrator").click();
  await expectNoSeriousA11yViolations(page, "/ (no model, details open)");
});

test("the ask page has no serious accessibility violation while streaming, or after an error", async ({ page }) => {
  await controlStandin({ tokenDelayMs: 150 });
  await page.goto("/");
  await page.getByLabel("Clinical case").fill("A 40-year-old man has a headache. Which is most likely?");
  await page.locator("#option-A-input").fill("Migraine");
  await page.locator("#option-B-input").fill("Tension headache");
  await page.getByRole("button", { name: "Ask" }).click();
  await expect(page.getByTestId("still-writing")).toBeVisible();
  await expectNoSeriousA11yViolations(page, "/ (streaming)");
  await page.getByRole("button", { name: "Stop" }).click();
  await expect(page.getByTestId("stopped")).toBeVisible();

  await controlStandin({ fault: { kind: "http500" } });
  await page.getByRole("button", { name: "Ask again", exact: true }).click();
  await expect(page.getByTestId("error-panel")).toBeVisible();
  await page.getByText("Details for your administrator").click();
  await expectNoSeriousA11yViolations(page, "/ (error, details open)");
});

test("the API docs have no serious accessibility violation", async ({ page }) => {
  await page.goto("/docs");
  await expect(page.getByRole("heading", { name: "MedGPT API", exact: true })).toBeVisible();
  await expectNoSeriousA11yViolations(page, "/docs");
});
