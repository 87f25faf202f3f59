import { expect, test, type Page } from "@playwright/test";
import { NO_MODEL_PORT } from "../playwright.config";
import { controlStandin, resetStandin } from "./standin-control";

/**
 * The clinician page in each state at a desktop and a phone width, against the real server and the Ollama stand-in:
 * nothing scrolls sideways, and a screenshot of every state lands in e2e-artifacts/ for people to look at.
 */
const CASE =
  "A 30-year-old woman has fatigue, cold intolerance, weight gain and constipation for 3 months. TSH is elevated and free T4 is low. Which of the following is the most likely cause?";
const OPTIONS = {
  A: "Graves disease",
  B: "Hashimoto thyroiditis (chronic autoimmune lymphocytic thyroiditis with antibodies against thyroid peroxidase)",
  C: "Pituitary adenoma",
  D: "Subacute granulomatous thyroiditis",
};

const VIEWPORTS = [
  { name: "desktop", width: 1440, height: 900 },
  { name: "phone", width: 390, height: 844 },
] as const;

async function fillCase(page: Page) {
  await page.getByLabel("Clinical case").fill(CASE);
  for (const [letter, text] of Object.entries(OPTIONS)) await page.locator(`#option-${letter}-input`).fill(text);
}

async function expectNoSidewaysScroll(page: Page) {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect(scrollWidth, "the page must not scroll sideways").toBeLessThanOrEqual(clientWidth);
}

async function shot(page: Page, viewport: string, state: string) {
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: `e2e-artifacts/states/${viewport}-${state}.png`, fullPage: true });
}

test.beforeEach(async () => {
  await resetStandin();
});

for (const vp of VIEWPORTS) {
  test.describe(`${vp.name} ${vp.width}×${vp.height}`, () => {
    test.use({
      viewport: { width: vp.width, height: vp.height },
      hasTouch: vp.name === "phone",
      isMobile: vp.name === "phone",
    });

    test("idle, streaming, answered", async ({ page }) => {
      await page.goto("/");
      await expect(page.getByTestId("backend-status")).toContainText("ready");
      await fillCase(page);
      // Long options wrap inside their growing boxes rather than widening the page.
      const optionB = page.locator("#option-B-input");
      expect((await optionB.boundingBox())!.height).toBeGreaterThan(40);
      // The keyboard hint is for keyboards: a touch screen (a coarse pointer) does not show it.
      expect(await page.evaluate(() => matchMedia("(pointer: coarse)").matches)).toBe(vp.name === "phone");
      await expect(page.getByTestId("keyboard-hint")).toBeVisible({ visible: vp.name === "desktop" });
      await shot(page, vp.name, "idle");

      await controlStandin({ tokenDelayMs: 120 });
      await page.getByRole("button", { name: "Ask" }).click();
      await expect(page.getByTestId("still-writing")).toBeVisible();
      await expect(page.getByTestId("reasoning")).toContainText("The case describes");
      // Ask scrolled the answer into view.
      await expect(page.getByRole("heading", { name: "Answer", exact: true })).toBeInViewport();
      await shot(page, vp.name, "streaming");

      await controlStandin({ tokenDelayMs: 5 });
      await expect(page.getByTestId("answer")).toBeVisible({ timeout: 30_000 });
      await expect(page.getByTestId("answer")).toBeFocused();
      await shot(page, vp.name, "answered");
    });

    test("stopped", async ({ page }) => {
      await controlStandin({ tokenDelayMs: 150 });
      await page.goto("/");
      await fillCase(page);
      await page.getByRole("button", { name: "Ask" }).click();
      await expect(page.getByTestId("reasoning")).toContainText("The case describes");
      await page.getByRole("button", { name: "Stop" }).click();
      await expect(page.getByTestId("stopped")).toContainText("Stopped: the answer is incomplete.");
      await shot(page, vp.name, "stopped");
    });

    test("error", async ({ page }) => {
      await page.goto("/");
      await fillCase(page);
      await controlStandin({ fault: { kind: "http500" } });
      await page.getByRole("button", { name: "Ask" }).click();
      await expect(page.getByTestId("error-panel")).toBeVisible();
      await shot(page, vp.name, "error");
      await page.getByText("Details for your administrator").click();
      await shot(page, vp.name, "error-details");
    });

    test("no valid option", async ({ page }) => {
      // The stand-in's made-up replies always name an option, so this reply is served in the browser: the page's
      // handling of a real event stream with `letter: null` is what is looked at.
      const reply = "model\nThe findings could fit several of these; I cannot decide between them.";
      await page.route("**/api/ask", (route) =>
        route.fulfill({
          status: 200,
          headers: { "content-type": "text/event-stream" },
          body:
            `event: token\ndata: ${JSON.stringify({ text: reply })}\n\n` +
            `event: answer\ndata: ${JSON.stringify({ letter: null, text: null, confidence: null, probabilities: null, analysis: reply.slice(6).trim(), formatOk: false })}\n\n` +
            `event: done\ndata: ${JSON.stringify({ model: "mrizwank97/medgpt", backend: "ollama", timings: { firstTokenMs: 90, totalMs: 400, evalCount: 1, tokensPerSecond: 1000 } })}\n\n`,
        }),
      );
      await page.goto("/");
      await fillCase(page);
      await page.getByRole("button", { name: "Ask" }).click();
      await expect(page.getByTestId("no-option")).toContainText("The model did not choose one of the options.");
      await expect(page.getByTestId("timings")).not.toContainText("tok/s");
      await shot(page, vp.name, "no-option");
    });

    test("no model", async ({ page }) => {
      await page.goto(`http://127.0.0.1:${NO_MODEL_PORT}/`);
      await expect(page.getByTestId("backend-banner")).toBeVisible({ timeout: 30_000 });
      await expect(page.getByRole("button", { name: "Ask" })).toBeDisabled();
      await shot(page, vp.name, "no-model");
    });
  });
}
