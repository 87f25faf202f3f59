import { readFile } from "node:fs/promises";
import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { E2E_ADMIN_TOKEN } from "../playwright.config";
import { BROKEN_LINE, CASES, datasetJsonl, parseCsv } from "./admin-data";
import { expectNoSeriousA11yViolations } from "./axe";
import { resetStandin } from "./standin-control";

/**
 * The researchers' dashboard, end to end, as one story: the steps share a logged-in browser page and the run they
 * create, so they run in order and stop at the first failure.
 */
test.describe.configure({ mode: "serial" });

const MEDGPT = "mrizwank97/medgpt";
const BASE = "gemma2:2b";
const DATASET_NAME = "e2e admin six cases";
const CSV_HEADER =
  "run_id,item_idx,source_line,model,reference,letter,exact,format_ok,confidence,p_A,p_B,p_C,p_D,p_E,vote_letter,vote_exact,agreement,status,error,judge_status,judge_score,judge_explanation,latency_ms,eval_count,tokens_per_second,attempts,case,raw";

let context: BrowserContext;
let page: Page;
let runUrl = "";
let runId = "";

test.beforeAll(async ({ browser }) => {
  await resetStandin();
  // A context of its own (not browser.newPage()), which the axe-core checks need.
  context = await browser.newContext();
  page = await context.newPage();
});

test.afterAll(async () => {
  await context?.close();
});

test("(0) the admin pages and APIs refuse access without the token", async ({ request }) => {
  const redirect = await request.get("/admin", { maxRedirects: 0 });
  expect([302, 303, 307]).toContain(redirect.status());
  expect(redirect.headers()["location"]).toContain("/admin/login?next=%2Fadmin");

  const anonymous = await request.get("/api/runs");
  expect(anonymous.status()).toBe(401);
  expect(anonymous.headers()["content-type"]).toContain("application/json");
  const body = (await anonymous.json()) as { error: { code: string; message: string; fix: string } };
  expect(body.error.code).toBe("unauthorized");
  expect(body.error.fix).toContain("/admin/login");

  expect((await request.get("/api/datasets")).status()).toBe(401);
  expect((await request.get("/api/runs", { headers: { Authorization: "Bearer not-the-token-at-all" } })).status()).toBe(
    401,
  );

  const bearer = await request.get("/api/runs", { headers: { Authorization: `Bearer ${E2E_ADMIN_TOKEN}` } });
  expect(bearer.status()).toBe(200);
  expect(Array.isArray(((await bearer.json()) as { runs: unknown }).runs)).toBe(true);

  // A deep link lands on the login page, which remembers where to go.
  await page.goto("/admin/runs/run_nope/items/3");
  await expect(page).toHaveURL(/\/admin\/login\?next=%2Fadmin%2Fruns%2Frun_nope%2Fitems%2F3$/);
  await expect(page.getByRole("heading", { name: "Researchers' dashboard" })).toBeVisible();
  await expectNoSeriousA11yViolations(page, "/admin/login");

  // Not signed in: the clinician page offers no way into the researcher area.
  await page.goto("/");
  await expect(page.getByTestId("disclaimer")).toBeVisible();
  await expect(page.getByRole("link", { name: "Researcher area" })).toHaveCount(0);
  await page.goto("/admin/runs/run_nope/items/3");

  await page.getByLabel("Admin token").fill("definitely-wrong-token");
  await page.getByRole("button", { name: "Log in" }).click();
  const panel = page.getByTestId("error-panel");
  await expect(panel).toContainText("That token is not valid.");
  await expect(panel).toContainText("unauthorized");
  await expect(page).toHaveURL(/\/admin\/login/);
});

test("(1) logs in with the token", async () => {
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/admin\/login\?next=%2Fadmin$/);
  await page.getByLabel("Admin token").fill(E2E_ADMIN_TOKEN);
  await page.getByLabel("Admin token").press("Enter");
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole("heading", { name: "Evaluation runs" })).toBeVisible();
  await expect(
    page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Dashboard" }),
  ).toBeVisible();
  await expect(page.getByRole("button", { name: "Log out" })).toBeVisible();
  await expectNoSeriousA11yViolations(page, "/admin");

  // Signed in, the clinician page links to the researcher area.
  await page.goto("/");
  await page.getByRole("link", { name: "Researcher area" }).click();
  await expect(page).toHaveURL(/\/admin$/);
});

test("(2) uploads a dataset and sees the accepted count and the rejected line", async () => {
  await page.getByLabel("Dataset file").setInputFiles({
    name: "e2e-admin.jsonl",
    mimeType: "application/x-ndjson",
    buffer: Buffer.from(datasetJsonl(), "utf8"),
  });
  await page.getByLabel(/^Name/).fill(DATASET_NAME);
  await page.getByRole("button", { name: "Upload" }).click();

  const result = page.getByTestId("import-result");
  await expect(result).toContainText(`Imported “${DATASET_NAME}”`);
  await expect(page.getByTestId("import-accepted")).toHaveText("6 accepted");
  await expect(page.getByTestId("import-rejected-count")).toHaveText("1 rejected");
  const rejected = page.getByTestId("import-rejected").getByRole("listitem");
  await expect(rejected).toHaveCount(1);
  await expect(rejected.first()).toContainText(`Line ${BROKEN_LINE}`);
  await expect(rejected.first()).toContainText("options literal");

  const row = page.getByTestId("datasets-table").getByRole("row", { name: new RegExp(DATASET_NAME) });
  await expect(row).toContainText("medical-reasoning");
  await expect(row.getByRole("cell").nth(2)).toHaveText("6");
  await expect(row.getByRole("cell").nth(3)).toHaveText("1");
});

test("(3) starts a run with two models and no judge", async () => {
  await page.getByRole("main").getByRole("link", { name: "New run", exact: true }).click();
  await expect(page.getByRole("heading", { name: "New evaluation run" })).toBeVisible();

  await page.getByLabel("Dataset", { exact: true }).selectOption({ label: `${DATASET_NAME} (6 items)` });
  await expect(page.getByLabel(MEDGPT, { exact: true })).toBeChecked();
  await page.getByLabel(BASE, { exact: true }).check();
  await page.getByLabel("Judge", { exact: true }).selectOption("none");
  await expect(page.getByLabel("Judge model")).toBeDisabled();
  // One generation at a time, so that the progress can be watched.
  await page.getByLabel("Concurrency").fill("1");
  await page.getByRole("button", { name: "Start run" }).click();

  await expect(page).toHaveURL(/\/admin\/runs\/run_[\w-]+$/);
  runUrl = new URL(page.url()).pathname;
  runId = runUrl.split("/").pop()!;
  await expect(page.getByRole("heading", { name: `Run ${runId}` })).toBeVisible();
});

test("(4) watches the progress reach 100% and the run complete", async ({}, testInfo) => {
  test.setTimeout(90_000);
  const status = page.getByTestId("run-status");
  const progress = page.getByRole("progressbar", { name: "Generation progress" });
  const seen = new Set<number>();
  await expect
    .poll(
      async () => {
        const v = Number(await progress.getAttribute("aria-valuenow"));
        seen.add(v);
        return v;
      },
      { timeout: 60_000, intervals: [250] },
    )
    .toBe(100);
  await expect(status).toHaveText("completed");
  expect(
    [...seen].some((v) => v > 0 && v < 100),
    `progress values seen: ${[...seen].join(", ")}`,
  ).toBe(true);
  await expect(progress).toHaveAttribute("aria-valuetext", "100% (12 of 12)");

  for (const model of [MEDGPT, BASE]) {
    const card = page.getByTestId(`summary-${model}`);
    await expect(card.getByTestId("accuracy")).toHaveText("50.0%");
    await expect(card).toContainText("3/6 correct");
    await expect(card.getByTestId("judge-mean")).toHaveText("no judge");
    await expect(card).toContainText("6/6"); // format compliance
  }
  await expect(page.getByTestId("judge-histogram")).toContainText("No judge was used");
  await expect(page.getByTestId("latency-histogram").locator(".recharts-bar-rectangle").first()).toBeVisible();
  await expect(page.getByTestId("mirror-status")).toContainText("not configured");
  await expect(page.getByTestId("results-count")).toHaveText("6 questions · page 1 of 1");
  await expect(page.getByRole("button", { name: "Cancel run" })).toHaveCount(0);

  const shot = await page.screenshot({ path: "e2e-artifacts/admin-run.png", fullPage: true });
  await testInfo.attach("admin-run", { body: shot, contentType: "image/png" });
  await expectNoSeriousA11yViolations(page, "the run page");

  // The runs list shows it finished too.
  await page.getByRole("link", { name: "Dashboard" }).click();
  const row = page.getByTestId(`run-row-${runId}`);
  await expect(row.getByTestId("run-status")).toHaveText("completed");
  await expect(row).toContainText(DATASET_NAME);
  await expect(row).toContainText(MEDGPT);
  await expect(row).toContainText(BASE);
  await expect(row.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "100");
});

test("(5) filters the wrong answers and opens one's drill-down", async () => {
  await page.goto(runUrl);
  await page.getByLabel("Show").selectOption("wrong");
  await expect(page.getByTestId("results-count")).toHaveText("3 questions · page 1 of 1");
  const rows = page.getByTestId("result-row");
  await expect(rows).toHaveCount(3);
  const wrongRefs = CASES.filter((c) => c.answer !== "B").map((c) => c.answer);
  await expect(rows.getByTestId("reference")).toHaveText(wrongRefs);
  await expect(rows.locator('[data-verdict="correct"]')).toHaveCount(0);
  await expect(rows.locator('[data-verdict="wrong"]')).toHaveCount(6);
  await expect(page).toHaveURL(/filter=wrong/);

  const first = rows.first();
  const reference = (await first.getByTestId("reference").textContent())!.trim();
  const itemIdx = await first.getAttribute("data-item");
  await first.getByRole("cell").nth(1).click(); // the case excerpt: the whole row opens the drill-down
  await expect(page).toHaveURL(new RegExp(`${runUrl}/items/${itemIdx}$`));
  await expect(page.getByRole("heading", { name: `Question ${Number(itemIdx) + 1}` })).toBeVisible();
  const expected = CASES.find((c) => c.answer === reference)!;
  await expect(page.getByTestId("case-text")).toHaveText(expected.caseText);
  await expect(page.getByRole("heading", { name: `Reference answer: ${reference}` })).toBeVisible();
  await expect(page.getByTestId(`option-${reference}`)).toHaveAttribute("data-reference", "true");
  await expect(page.getByTestId("option-B")).not.toHaveAttribute("data-reference", "true");
  await expect(page.getByTestId("reference-answer")).toContainText(expected.analysis.slice(0, 30), {
    useInnerText: false,
  });

  const answers = page.getByTestId("model-answer");
  await expect(answers).toHaveCount(2);
  for (const model of [MEDGPT, BASE]) {
    const card = page.locator(`[data-testid="model-answer"][data-model="${model}"]`);
    await expect(card.locator('[data-verdict="wrong"]')).toHaveText(/^B/);
    await expect(card).toContainText("✗ wrong");
    await expect(card.getByTestId("raw-output")).toContainText("<answer>");
    await expect(card.getByTestId("raw-output")).toContainText(`B: ${expected.options.B}`);
    await expect(card).toContainText("No judge was used for this run.");
  }

  // Back restores the filtered table.
  await page.goBack();
  await expect(page.getByLabel("Show")).toHaveValue("wrong");
  await expect(page.getByTestId("result-row")).toHaveCount(3);
});

test("(6) compares the two models", async () => {
  await page.goto(runUrl);
  await page.getByRole("link", { name: "Compare models" }).click();
  await expect(page).toHaveURL(/\/admin\/compare\?/);
  await expect(page.getByRole("heading", { name: "Compare two models" })).toBeVisible();
  await expect(page.getByLabel("Run A")).toHaveValue(runId);
  await expect(page.getByLabel("Model A")).toHaveValue(MEDGPT);
  await expect(page.getByLabel("Run B")).toHaveValue(runId);
  await expect(page.getByLabel("Model B")).toHaveValue(BASE);

  await expect(page.getByTestId("paired")).toHaveText("6");
  await expect(page.getByTestId("accuracy-a")).toHaveText("50.0%");
  await expect(page.getByTestId("accuracy-b")).toHaveText("50.0%");
  await expect(page.getByTestId("accuracy-diff")).toHaveText("±0.0 pp");
  await expect(page.getByTestId("mcnemar-p")).toHaveText("1.000");
  await expect(page.getByTestId("discordant")).toHaveText("0 / 0");
  await expect(page.getByTestId("judge-wlt")).toHaveText("—");
  // Both models answer B everywhere (the stand-in's made-up reply), so no question differs.
  await expect(page.getByTestId("no-differing")).toBeVisible();

  // The same model on both sides is allowed by the API, and says so.
  await page.getByLabel("Model B").selectOption(MEDGPT);
  await expect(page.getByText("Both sides are the same model")).toBeVisible();
  await expect(page.getByTestId("paired")).toHaveText("6");
});

test("(7) downloads the CSV export", async () => {
  await page.goto(runUrl);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Export CSV" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`${runId}.csv`);
  const text = await readFile((await download.path())!, "utf8");
  const [header, ...rows] = parseCsv(text.trimEnd());
  expect(header!.join(",")).toBe(CSV_HEADER);
  expect(rows).toHaveLength(12); // 6 questions × 2 models
  const col = (name: string) => header!.indexOf(name);
  expect(new Set(rows.map((r) => r[col("run_id")]))).toEqual(new Set([runId]));
  expect(rows.filter((r) => r[col("model")] === MEDGPT)).toHaveLength(6);
  expect(rows.filter((r) => r[col("model")] === BASE)).toHaveLength(6);
  expect(rows.every((r) => r[col("letter")] === "B" && r[col("status")] === "ok")).toBe(true);
  expect(rows.filter((r) => r[col("exact")] === "true")).toHaveLength(6);
  expect(rows.every((r) => r[col("raw")]!.includes("<analysis>"))).toBe(true);
});
