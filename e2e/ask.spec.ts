import { expect, test, type Page } from "@playwright/test";
import { percent } from "../components/ask/format";
import { BAND_WORDS, confidenceBand, DEFAULT_CONFIDENCE_THRESHOLDS } from "../lib/confidence";
import type { Answer } from "../lib/schemas/ask";
import { controlStandin, resetStandin, standinStats } from "./standin-control";

const CASE =
  "A 30-year-old woman has fatigue, cold intolerance, weight gain and constipation for 3 months. TSH is elevated and free T4 is low. Which of the following is the most likely cause?";
const OPTIONS = { A: "Graves disease", B: "Hashimoto thyroiditis", C: "Pituitary adenoma", D: "Subacute thyroiditis" };

async function fillCase(page: Page) {
  await page.getByLabel("Clinical case").fill(CASE);
  for (const [letter, text] of Object.entries(OPTIONS)) await page.locator(`#option-${letter}-input`).fill(text);
}

/**
 * Records the reasoning's text length at every DOM change, and whether the answer was shown yet. The reasoning
 * panel appears only once a question is asked, so the whole page is watched.
 */
async function recordRenders(page: Page) {
  await page.evaluate(() => {
    const w = window as unknown as { __renders: { len: number; answered: boolean }[] };
    w.__renders = [];
    new MutationObserver(() => {
      w.__renders.push({
        len: document.querySelector('[data-testid="reasoning"]')?.textContent?.length ?? 0,
        answered: document.querySelector('[data-testid="answer"]') !== null,
      });
    }).observe(document.body, { childList: true, characterData: true, subtree: true });
  });
}

/** The `answer` event of the stream the page read (the server's own numbers, whatever the stand-in made of them). */
function answerEvent(sseText: string): Answer {
  const frame = sseText.split("\n\n").find((f) => f.startsWith("event: answer"));
  if (!frame) throw new Error("no answer event in the stream");
  return JSON.parse(frame.slice(frame.indexOf("data: ") + "data: ".length)) as Answer;
}

test.beforeEach(async () => {
  await resetStandin();
});

test("a clinician asks, watches the reasoning stream in, and sees the answer with its probabilities and band", async ({
  page,
}, testInfo) => {
  await page.goto("/");
  await expect(page.getByTestId("disclaimer")).toContainText("decision support");
  await expect(page.locator('link[rel="icon"]')).toHaveAttribute("href", /\/icon\.svg/);
  await expect(page.getByTestId("backend-status")).toContainText("ready");
  await expect(page.getByTestId("backend-banner")).toHaveCount(0);
  await fillCase(page);
  await recordRenders(page);

  const streamed = page.waitForResponse((r) => r.url().endsWith("/api/ask"));
  await page.getByRole("button", { name: "Ask" }).click();
  const card = page.getByTestId("answer");
  await expect(card.getByTestId("chosen-option")).toHaveText("BHashimoto thyroiditis");
  await expect(card).toBeFocused();

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
  // Prose: no tags, and the answer block is not repeated in the reasoning.
  await expect(page.getByTestId("reasoning")).toContainText("The case describes");
  await expect(page.getByTestId("reasoning")).not.toContainText("<analysis>");
  await expect(page.getByTestId("reasoning")).not.toContainText("<answer>");
  await expect(page.getByTestId("ask-status")).toHaveText(/^Answered: B/);

  // Every offered option has a bar with its percentage as text, and the band is in words, both from the server's
  // answer event (the Ollama stand-in sends log-probabilities).
  const answer = answerEvent(await (await streamed).text());
  expect(answer.letter).toBe("B");
  expect(answer.probabilities, "the stand-in's log-probabilities should reach the page").not.toBeNull();
  expect(Object.keys(answer.probabilities!).sort()).toEqual(["A", "B", "C", "D"]);
  for (const [letter, p] of Object.entries(answer.probabilities!))
    await expect(card.getByTestId(`probability-${letter}`)).toContainText(percent(p));
  const band = confidenceBand(answer.confidence!, DEFAULT_CONFIDENCE_THRESHOLDS);
  await expect(card.getByTestId("confidence-band")).toHaveText(`${BAND_WORDS[band]} (${percent(answer.confidence!)})`);
  await expect(page.getByTestId("ask-status")).toHaveText(`Answered: B, ${BAND_WORDS[band].toLowerCase()}`);

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
  await expect(page.getByTestId("still-writing")).toBeVisible();
  await expect(page.getByTestId("reasoning")).toContainText("The case describes");
  await page.getByRole("button", { name: "Stop" }).click();

  await expect(page.getByTestId("stopped")).toHaveText(/Stopped: the answer is incomplete\./);
  await expect(page.getByTestId("stopped")).toBeFocused();
  await expect(page.getByTestId("still-writing")).toHaveCount(0);
  await expect(page.getByTestId("answer")).toHaveCount(0);
  await expect.poll(async () => (await standinStats()).aborted).toBeGreaterThan(before.aborted);
  await expect(page.getByTestId("stopped").getByRole("button", { name: "Ask again", exact: true })).toBeEnabled();
});

test("the error panel speaks to the clinician, keeps how to start Ollama for the administrator, and retries", async ({
  page,
}, testInfo) => {
  await page.goto("/");
  await fillCase(page);
  await controlStandin({ goDownForMs: 3000 });
  await page.getByRole("button", { name: "Ask" }).click();
  const panel = page.getByTestId("error-panel");
  await expect(panel.getByTestId("error-message")).toHaveText(/MedGPT cannot reach its model/);
  // The technical part waits behind the administrator's disclosure.
  await expect(panel.getByText("ollama serve")).toBeHidden();
  await panel.getByText("Details for your administrator").click();
  const details = panel.getByTestId("error-admin-details");
  await expect(details).toContainText("Cannot reach Ollama");
  await expect(details).toContainText("ollama serve");
  await expect(details).toContainText("upstream_unavailable");
  const shot = await page.screenshot({ path: "e2e-artifacts/ollama-down.png", fullPage: true });
  await testInfo.attach("ollama-down", { body: shot, contentType: "image/png" });

  // Retry is one click once Ollama is back.
  await resetStandin();
  await panel.getByRole("button", { name: "Retry" }).click();
  await expect(page.getByTestId("answer")).toBeVisible();
});

test("a missing standard model is announced before asking, with the ollama pull command for the administrator", async ({
  page,
}) => {
  await controlStandin({ models: ["gemma2:2b"] });
  await page.goto("/");
  const banner = page.getByTestId("backend-banner");
  await expect(banner).toContainText("The standard model is not installed on this server.");
  await banner.getByText("Details for your administrator").click();
  await expect(banner.getByTestId("backend-admin-details")).toContainText("ollama pull mrizwank97/medgpt");
  const ask = page.getByRole("button", { name: "Ask" });
  await expect(ask).toBeDisabled();
  await expect(page.getByTestId("ask-blocked")).toHaveText(/not installed on the server/);

  // The base model is there, marked as an untuned comparison model, and can still be asked.
  const base = page.getByRole("radio", { name: /Gemma 2 2B \(base\)/ });
  await base.check();
  await expect(ask).toBeEnabled();
  await fillCase(page);
  await ask.click();
  await expect(page.getByTestId("answer")).toContainText("untuned comparison model");
});

test("the form reports invalid input without calling the server", async ({ page }) => {
  await page.goto("/");
  await page.getByLabel("Clinical case").fill(CASE);
  await page.locator("#option-A-input").fill("Only one option");
  await page.getByRole("button", { name: "Ask" }).click();
  await expect(page.locator("#option-B-error")).toHaveText("Enter option B");
  await expect(page.locator("#option-B-input")).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator("#option-B-input")).toBeFocused();
  await expect(page.getByTestId("answer-placeholder")).toBeVisible();
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
