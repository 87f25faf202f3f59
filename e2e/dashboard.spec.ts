import { expect, test, type APIRequestContext, type BrowserContext, type Page } from "@playwright/test";
import { E2E_ADMIN_TOKEN } from "../playwright.config";
import { CASES, rowOf } from "./admin-data";
import { expectNoSeriousA11yViolations } from "./axe";
import { controlStandin, resetStandin, standinStats } from "./standin-control";

/**
 * The researchers' dashboard beyond the basics (e2e/admin.spec.ts has the first story): names and notes, ticking two
 * runs to compare them, cancel with a confirmation and resume, previous/next between questions, the compare page's
 * pages, run health, and small screens. The runs are made through the API (with the admin token) so that the browser
 * steps are about the dashboard; the steps share one logged-in page and run in order.
 */
test.describe.configure({ mode: "serial" });

const MEDGPT = "mrizwank97/medgpt";
const BASE = "gemma2:2b";
const AUTH = { Authorization: `Bearer ${E2E_ADMIN_TOKEN}` };
/** 24 questions: the six cases of admin-data, four times, each numbered so that every item is its own. */
const QUESTIONS = 24;
const RUN_NAME = "Fine-tune against base, 24 questions";
const RUN_NOTES = "Stand-in replies: both models always answer B.";

let context: BrowserContext;
let page: Page;
let datasetId = "";
/** Both models over the 24 questions, no judge. */
let pairRun = "";
/** The fine-tune over the first 6, judged by an Ollama model whose verdicts cannot be read: a run with a warning. */
let judgedRun = "";

function datasetText(): string {
  return `${Array.from({ length: QUESTIONS }, (_, i) => {
    const c = CASES[i % CASES.length]!;
    return rowOf({ ...c, caseText: `(Item ${i + 1}) ${c.caseText}` });
  }).join("\n")}\n`;
}

type Run = { id: string; status: string; warnings: string[] };

async function createRun(request: APIRequestContext, body: Record<string, unknown>): Promise<string> {
  const res = await request.post("/api/runs", { headers: AUTH, data: { datasetId, ...body } });
  expect(res.status(), await res.text()).toBe(202);
  return ((await res.json()) as Run).id;
}

async function runOf(request: APIRequestContext, id: string): Promise<Run> {
  return (await (await request.get(`/api/runs/${id}`, { headers: AUTH })).json()) as Run;
}

async function waitFor(request: APIRequestContext, id: string, status: string, timeout = 60_000) {
  await expect.poll(async () => (await runOf(request, id)).status, { timeout, intervals: [250] }).toBe(status);
}

/** Nothing on the page is wider than the window: no sideways scrolling, and every table stays in its own box. */
async function expectNoSidewaysScroll(where: string) {
  const overflow = await page.evaluate(() => {
    const doc = document.documentElement;
    const width = doc.clientWidth;
    const sticking = [...document.querySelectorAll<HTMLElement>("main *")]
      .filter((el) => {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) return false;
        // Inside a box that scrolls sideways, being wider than the window is the point.
        for (let p = el.parentElement; p; p = p.parentElement) {
          const o = getComputedStyle(p).overflowX;
          if (o === "auto" || o === "scroll" || o === "hidden") return false;
        }
        return r.right > width + 1 || r.left < -1;
      })
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className.toString().slice(0, 60)}`);
    return { scrollWidth: doc.scrollWidth, width, sticking };
  });
  expect(overflow.sticking, `${where}: elements sticking out of a ${overflow.width}px window`).toEqual([]);
  expect(overflow.scrollWidth, `${where}: page scrolls sideways`).toBeLessThanOrEqual(overflow.width);
  // Tables scroll inside their own box, which ends inside the window.
  for (const box of await page.locator("table").evaluateAll((tables) =>
    tables.map((t) => {
      const wrap = t.closest<HTMLElement>(".overflow-x-auto") ?? t;
      const r = wrap.getBoundingClientRect();
      return { left: r.left, right: r.right, scrolls: getComputedStyle(wrap).overflowX };
    }),
  )) {
    expect(box.left, `${where}: a table box starts left of the window`).toBeGreaterThanOrEqual(0);
    expect(box.right, `${where}: a table box ends right of the window`).toBeLessThanOrEqual(overflow.width + 1);
  }
}

test.beforeAll(async ({ browser }) => {
  await resetStandin();
  await controlStandin({ tokenDelayMs: 1 });
  context = await browser.newContext();
  page = await context.newPage();
});

test.afterAll(async () => {
  await resetStandin();
  await context?.close();
});

test("(0) logs in, and two runs are made through the API", async ({ request }) => {
  test.setTimeout(120_000);
  await page.goto("/admin/login");
  await page.getByLabel("Admin token").fill(E2E_ADMIN_TOKEN);
  await page.getByLabel("Admin token").press("Enter");
  await expect(page.getByRole("heading", { name: "Evaluation runs" })).toBeVisible();

  const upload = await request.post("/api/datasets", {
    headers: AUTH,
    data: { name: "e2e dashboard 24 questions", text: datasetText() },
  });
  expect(upload.status(), await upload.text()).toBeLessThan(300);
  datasetId = ((await upload.json()) as { dataset: { id: string } }).dataset.id;

  pairRun = await createRun(request, { models: [MEDGPT, BASE], judge: "none", concurrency: 4 });
  judgedRun = await createRun(request, { models: [MEDGPT], judge: `ollama:${BASE}`, limit: 6, concurrency: 2 });
  await waitFor(request, pairRun, "completed", 90_000);
  await waitFor(request, judgedRun, "completed", 90_000);
  expect((await runOf(request, judgedRun)).warnings.join(" ")).toContain("Judge failed on");
});

test("(1) runs list: a run gets a name and notes, shown in place of its id; a run with warnings is marked", async () => {
  await page.goto("/admin");
  const row = page.getByTestId(`run-row-${pairRun}`);
  await expect(row.getByTestId("run-link")).toHaveText(pairRun);
  // Headline figures per model: the stand-in answers B, right on 12 of the 24 questions.
  await expect(row.getByTestId("accuracy-cell").getByRole("listitem")).toHaveText([/^50\.0%/, /^50\.0%/]);
  await expect(row.getByTestId("errors-cell").getByRole("listitem")).toHaveText(["0", "0"]);

  await row.getByRole("button", { name: `Add name of ${pairRun}` }).click();
  const dialog = page.getByRole("dialog", { name: "Name and notes" });
  await expect(dialog.getByLabel("Name", { exact: true })).toBeFocused();
  await dialog.getByLabel("Name", { exact: true }).fill(RUN_NAME);
  await dialog.getByLabel("Notes", { exact: true }).fill(RUN_NOTES);
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();

  await expect(row.getByTestId("run-link")).toHaveText(RUN_NAME);
  await expect(row.getByTestId("run-id")).toHaveText(pairRun);
  await expect(row.getByTestId("run-notes")).toHaveText(RUN_NOTES);

  // Stored on the server: still there after a reload, and on the run's own page.
  await page.reload();
  await expect(page.getByTestId(`run-row-${pairRun}`).getByTestId("run-link")).toHaveText(RUN_NAME);
  await expect(page.getByTestId(`run-row-${judgedRun}`).getByTestId("run-warning-mark")).toContainText("1 warning");
  await expect(page.getByTestId(`run-row-${pairRun}`).getByTestId("run-warning-mark")).toHaveCount(0);

  // Filters: by model, then status.
  await page.getByLabel("Model", { exact: true }).selectOption(BASE);
  await expect(page.getByTestId(`run-row-${judgedRun}`)).toHaveCount(0);
  await expect(page.getByTestId(`run-row-${pairRun}`)).toBeVisible();
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(page.getByTestId(`run-row-${judgedRun}`)).toBeVisible();
  await expectNoSeriousA11yViolations(page, "the runs list");
});

test("(2) ticking two runs opens the compare page with both", async () => {
  await page.goto("/admin");
  await page.getByRole("checkbox", { name: `Tick ${RUN_NAME} to compare` }).check();
  await page.getByRole("checkbox", { name: `Tick ${judgedRun} to compare` }).check();
  await page.getByRole("link", { name: "Compare A and B" }).click();

  await expect(page).toHaveURL(/\/admin\/compare\?/);
  const url = new URL(page.url());
  expect([...url.searchParams].slice(0, 4)).toEqual([
    ["runA", pairRun],
    ["modelA", MEDGPT],
    ["runB", judgedRun],
    ["modelB", MEDGPT],
  ]);
  await expect(page.getByLabel("Run A")).toHaveValue(pairRun);
  await expect(page.getByLabel("Run B")).toHaveValue(judgedRun);
  // The judged run covers the first 6 questions: those are the pairs.
  await expect(page.getByTestId("paired")).toHaveText("6");
});

test("(3) the run page: the warning banner, and the settings the run was made with", async () => {
  await page.goto(`/admin/runs/${judgedRun}`);
  const banner = page.getByTestId("run-warnings");
  await expect(banner).toContainText("Judge failed on 6 of 6 answers");
  // Amber (warm: red ≥ green > blue), not the green of a healthy run.
  const [r, g, b] = await banner.evaluate((el) => {
    const ctx = document.createElement("canvas").getContext("2d")!;
    ctx.fillStyle = getComputedStyle(el).backgroundColor;
    ctx.fillRect(0, 0, 1, 1);
    return [...ctx.getImageData(0, 0, 1, 1).data];
  });
  expect(r! >= g! && g! > b!, `banner colour rgb(${r}, ${g}, ${b})`).toBe(true);
  await expect(page.getByTestId("run-status")).toHaveText("completed");
  await expect(page.getByTestId("setting-judge")).toContainText(`ollama:${BASE}`);
  await expect(page.getByTestId("setting-judge")).toContainText(/judge prompt version [0-9a-f]{12}/);
  await expect(page.getByTestId("setting-samples")).toHaveText("1");
  await expect(page.getByTestId("setting-created")).toContainText("from the API (admin token)");
  await expect(page.getByRole("link", { name: "Export CSV" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Export JSONL" })).toBeVisible();

  await page.goto(`/admin/runs/${pairRun}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(RUN_NAME);
  await expect(page.getByTestId("run-warnings")).toHaveCount(0);
  // The stand-in plants log-probabilities, so there is a calibration to draw.
  await expect(
    page.getByTestId("reliability-diagram").locator(".recharts-wrapper > svg.recharts-surface"),
  ).toBeVisible();
  await expectNoSeriousA11yViolations(page, "the run page");
});

test("(4) Cancel asks first; a cancelled run is resumed from the dashboard and completes", async ({ request }) => {
  test.setTimeout(120_000);
  await controlStandin({ tokenDelayMs: 120 }); // slow enough to be caught running
  const id = await createRun(request, { models: [MEDGPT], judge: "none", limit: 4, concurrency: 1 });
  await page.goto(`/admin/runs/${id}`);
  await expect(page.getByTestId("run-status")).toHaveText("running");

  await page.getByRole("button", { name: "Cancel run" }).click();
  const dialog = page.getByRole("dialog", { name: "Cancel this run?" });
  await expect(dialog).toContainText("you can resume it later");
  await expect(dialog.getByRole("button", { name: "Keep running" })).toBeFocused();
  await dialog.getByRole("button", { name: "Keep running" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("run-status")).toHaveText("running");
  expect((await runOf(request, id)).status).toBe("running");

  await page.getByRole("button", { name: "Cancel run" }).click();
  await dialog.getByRole("button", { name: "Cancel run" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("cancelled");
  await expect(page.getByText("Cancelled — not being executed")).toBeVisible();
  await expect(page.getByRole("button", { name: "Cancel run" })).toHaveCount(0);

  // The cancelled generation is dropped on the model server before the run is resumed.
  await expect.poll(async () => (await standinStats()).active, { timeout: 15_000 }).toBe(0);
  await controlStandin({ tokenDelayMs: 1 });
  await page.getByRole("button", { name: "Resume" }).click();
  await expect(page.getByTestId("run-status")).toHaveText(/queued|running|completed/);
  await expect(page.getByTestId("run-status")).toHaveText("completed", { timeout: 60_000 });
  await expect(page.getByRole("progressbar", { name: "Generation progress" })).toHaveAttribute(
    "aria-valuetext",
    "100% (4 of 4)",
  );
});

test("(5) a question: numbered from 1, previous and next, the pick marked right or wrong in words", async () => {
  await page.goto(`/admin/runs/${pairRun}`);
  const first = page.getByRole("link", { name: "Question 1: details" });
  await expect(first).toHaveText("1");
  await first.click();

  await expect(page).toHaveURL(new RegExp(`/admin/runs/${pairRun}/items/0$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Question 1 of 24");
  const nav = page.getByRole("navigation", { name: "Previous and next question", exact: true });
  await expect(nav).toContainText("First question of the run");
  await expect(nav.getByRole("link")).toHaveCount(1);

  // Case 1's reference is B: both models are right.
  const card = page.locator(`[data-testid="model-answer"][data-model="${MEDGPT}"]`);
  await expect(card.getByTestId("verdict")).toHaveText("✓ right (the reference answer)");
  await expect(card.getByTestId("probabilities").getByTestId("probability")).toHaveCount(4);
  const raw = card.getByTestId("raw-output");
  await expect(raw).toContainText("<answer>");
  expect(await raw.evaluate((el) => el.scrollHeight <= el.clientHeight + 1)).toBe(true); // nothing clipped

  await nav.getByRole("link", { name: "Question 2 →" }).click();
  await expect(page).toHaveURL(new RegExp(`/items/1$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Question 2 of 24");
  // Case 2's reference is A: the pick B is wrong, and says so.
  await expect(card.getByTestId("verdict")).toHaveText("✗ wrong: the reference is A");

  await page.getByRole("link", { name: "← Question 1" }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Question 1 of 24");
  await expectNoSeriousA11yViolations(page, "a question page");
});

test("(6) the compare page pages through the paired questions, with the results table's filters", async () => {
  await page.goto(`/admin/compare?runA=${pairRun}&modelA=${encodeURIComponent(MEDGPT)}&runB=${pairRun}&modelB=${BASE}`);
  await expect(page.getByTestId("paired")).toHaveText("24");
  await expect(page.getByTestId("accuracy-diff-ci")).toContainText("Wald interval for matched proportions");
  // Both models answer B everywhere: no question differs.
  await expect(page.getByTestId("no-differing")).toBeVisible();
  // Model names as written, not upper-cased like the other headers (innerText applies text-transform).
  await expect(page.getByRole("columnheader", { name: `A: ${MEDGPT}` })).toHaveText(`A: ${MEDGPT}`, {
    useInnerText: true,
  });

  await page.getByLabel("Show").selectOption("all");
  await page.getByLabel("Rows per page").selectOption("10");
  await expect(page.getByTestId("compare-count")).toHaveText("24 questions · page 1 of 3");
  const rows = page.getByTestId("compare-row");
  await expect(rows).toHaveCount(10);
  await expect(rows.first().getByTestId("case-excerpt")).toContainText("(Item 1)");
  await expect(rows.first().getByTestId("reference")).toHaveText("B");

  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByTestId("compare-count")).toHaveText("24 questions · page 2 of 3");
  await expect(rows.first().getByRole("link")).toHaveText("11");
  await expect(rows.first().getByTestId("case-excerpt")).toContainText("(Item 11)");
  await expect(page).toHaveURL(/page=2/);

  await page.getByRole("button", { name: "Last" }).click();
  await expect(rows).toHaveCount(4);
  await expect(page.getByRole("button", { name: "Next" })).toBeDisabled();

  // A link to the page restores it.
  await page.reload();
  await expect(page.getByTestId("compare-count")).toHaveText("24 questions · page 3 of 3");
  await expect(page.getByLabel("Show")).toHaveValue("all");
  await expectNoSeriousA11yViolations(page, "the compare page");
});

test("(7) recharts is loaded only where charts are drawn, never on the clinician page", async () => {
  const scripts = async (url: string, settle: () => Promise<void>) => {
    const bodies: Promise<string>[] = [];
    const listener = (r: import("@playwright/test").Response) => {
      if (r.request().resourceType() === "script") bodies.push(r.text().catch(() => ""));
    };
    page.on("response", listener);
    await page.goto(url);
    await settle();
    page.off("response", listener);
    return (await Promise.all(bodies)).join("\n");
  };
  const clinician = await scripts("/", () => page.getByRole("button", { name: "Ask", exact: true }).waitFor());
  expect(clinician).not.toContain("recharts-surface");
  const runsList = await scripts("/admin", () => page.getByTestId(`run-row-${pairRun}`).waitFor());
  expect(runsList).not.toContain("recharts-surface");
  const runPage = await scripts(`/admin/runs/${pairRun}`, () =>
    page.getByTestId("reliability-diagram").locator(".recharts-wrapper > svg.recharts-surface").waitFor(),
  );
  expect(runPage).toContain("recharts-surface");
});

test("(8) at 390 px wide no admin page scrolls sideways; tables scroll in their own box", async ({}, testInfo) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const pages: [string, string, () => Promise<void>][] = [
    ["runs list", "/admin", () => page.getByTestId(`run-row-${pairRun}`).waitFor()],
    [
      "run page",
      `/admin/runs/${pairRun}`,
      () => page.getByTestId("reliability-diagram").locator(".recharts-wrapper > svg.recharts-surface").waitFor(),
    ],
    ["question page", `/admin/runs/${pairRun}/items/3`, () => page.getByTestId("raw-output").first().waitFor()],
    [
      "compare page",
      `/admin/compare?runA=${pairRun}&modelA=${encodeURIComponent(MEDGPT)}&runB=${pairRun}&modelB=${BASE}&filter=all`,
      () => page.getByTestId("compare-row").first().waitFor(),
    ],
    ["new run form", "/admin/runs/new", () => page.getByLabel("Samples per question").waitFor()],
  ];
  for (const [name, url, ready] of pages) {
    await page.goto(url);
    await ready();
    await expectNoSidewaysScroll(name);
    const file = `e2e-artifacts/dashboard-390-${name.replace(/ /g, "-")}.png`;
    const shot = await page.screenshot({ path: file, fullPage: true });
    await testInfo.attach(file, { body: shot, contentType: "image/png" });
  }
  await page.setViewportSize({ width: 1440, height: 900 });
  for (const [name, url, ready] of pages.slice(0, 4)) {
    await page.goto(url);
    await ready();
    await page.screenshot({ path: `e2e-artifacts/dashboard-1440-${name.replace(/ /g, "-")}.png`, fullPage: true });
  }
});
