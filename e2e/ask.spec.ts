import { expect, test, type Page } from "@playwright/test";
import { controlStandin, resetStandin, standinStats } from "./standin-control";

const CASE =
  "A 30-year-old woman has fatigue, cold intolerance, weight gain and constipation for 3 months. TSH is elevated and free T4 is low. Which of the following is the most likely cause?";
const OPTIONS = { A: "Graves disease", B: "Hashimoto thyroiditis", C: "Pituitary adenoma", D: "Subacute thyroiditis" };

async function fillCase(page: Page) {
  await page.getByLabel("Clinical case").fill(CASE);
  for (const [letter, text] of Object.entries(OPTIONS)) await page.locator(`#option-${letter}-input`).fill(text);
}

/** Records the reasoning panel's text length at every DOM change, and whether the answer was shown yet. */
async function recordRenders(page: Page) {
  await page.evaluate(() => {
    const w = window as unknown as { __renders: { len: number; answered: boolean }[] };
    w.__renders = [];
    const target = document.querySelector('[data-testid="reasoning"]')!;
    new MutationObserver(() => {
      w.__renders.push({
        len: target.textContent?.length ?? 0,
        answered: document.querySelector('[data-testid="answer"]') !== null,
      });
    }).observe(target, { childList: true, characterData: true, subtree: true });
  });
}

test.beforeEach(async () => {
  await resetStandin();
});

test("a clinician asks, watches the reasoning stream in, and sees the answer highlighted", async ({
  page,
}, testInfo) => {
  await page.goto("/");
  await expect(page.getByTestId("disclaimer")).toContainText("decision support");
  await expect(page.getByTestId("backend-status")).toContainText("ready");
  await fillCase(page);
  await recordRenders(page);

  await page.getByRole("button", { name: "Ask" }).click();
  await expect(page.getByTestId("answer")).toContainText("Model's answer: B");

  const renders = await page.evaluate(
    () => (window as unknown as { __renders: { len: number; answered: boolean }[] }).__renders,
  );
  const streamingLengths = new Set(renders.filter((r) => !r.answered && r.len > 0).map((r) => r.len));
  expect(streamingLengths.size, "tokens should arrive over several renders before the answer").toBeGreaterThanOrEqual(
    2,
  );

  const chosen = page.getByTestId("option-B");
  await expect(chosen).toHaveAttribute("data-chosen", "true");
  await expect(chosen).toContainText("Model's answer");
  await expect(page.getByTestId("option-A")).not.toHaveAttribute("data-chosen", "true");
  await expect(page.getByTestId("timings")).toContainText("tok/s");
  await expect(page.getByTestId("reasoning")).toContainText("<analysis>");

  const shot = await page.screenshot({ path: "e2e-artifacts/ask-answered.png", fullPage: true });
  await testInfo.attach("answered", { body: shot, contentType: "image/png" });
});

test("Ctrl+Enter asks from the keyboard", async ({ page }) => {
  await page.goto("/");
  await fillCase(page);
  await page.getByLabel("Clinical case").press("Control+Enter");
  await expect(page.getByTestId("answer")).toBeVisible();
});

test("Stop aborts the generation, upstream too", async ({ page }) => {
  await controlStandin({ tokenDelayMs: 150 });
  const before = await standinStats();
  await page.goto("/");
  await fillCase(page);
  await page.getByRole("button", { name: "Ask" }).click();
  await expect(page.getByTestId("reasoning")).toContainText("<analysis>");
  await page.getByRole("button", { name: "Stop" }).click();

  await expect(page.getByTestId("phase")).toHaveText("Stopped");
  await expect(page.getByTestId("answer")).toHaveCount(0);
  await expect.poll(async () => (await standinStats()).aborted).toBeGreaterThan(before.aborted);
  await expect(page.getByRole("button", { name: "Ask" })).toBeEnabled();
});

test("the error panel explains how to start Ollama when it is down", async ({ page }, testInfo) => {
  await page.goto("/");
  await fillCase(page);
  await controlStandin({ goDownForMs: 3000 });
  await page.getByRole("button", { name: "Ask" }).click();
  const panel = page.getByTestId("error-panel");
  await expect(panel).toContainText("Cannot reach Ollama");
  await expect(panel).toContainText("ollama serve");
  await expect(panel).toContainText("upstream_unavailable");
  const shot = await page.screenshot({ path: "e2e-artifacts/ollama-down.png", fullPage: true });
  await testInfo.attach("ollama-down", { body: shot, contentType: "image/png" });
});

test("an unknown model shows the ollama pull command", async ({ page }) => {
  await controlStandin({ models: ["gemma2:2b"] });
  await page.goto("/");
  await fillCase(page);
  await page.getByRole("button", { name: "Ask" }).click();
  await expect(page.getByTestId("error-panel")).toContainText("ollama pull mrizwank97/medgpt");
});

test("the form reports invalid input without calling the server", async ({ page }) => {
  await page.goto("/");
  await page.getByLabel("Clinical case").fill(CASE);
  await page.locator("#option-A-input").fill("Only one option");
  await page.getByRole("button", { name: "Ask" }).click();
  await expect(page.locator("#option-B-error")).toBeVisible();
  await expect(page.getByTestId("phase")).toHaveText("");
});

test("the API docs page lists the ask endpoint", async ({ page }) => {
  await page.goto("/docs");
  await expect(page.getByRole("heading", { name: "MedGPT API", exact: true })).toBeVisible();
  await expect(page.getByText("upstream_unavailable").first()).toBeVisible();
});

test("the standalone server answers /api/health with the backend and the default model", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect(await res.json()).toMatchObject({
    status: "ok",
    mode: "ollama",
    backend: { name: "ollama", reachable: true },
    defaultModel: { name: "mrizwank97/medgpt", present: true },
  });
});
