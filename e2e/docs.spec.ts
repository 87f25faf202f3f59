import { expect, test, type Page } from "@playwright/test";
import config, { APP_PORT } from "../playwright.config";
import { resetStandin } from "./standin-control";

/**
 * /docs: the hand-written guide, then Scalar's interactive reference of /api/openapi.json, bundled and served by
 * the app. Nothing may come from or go to another host (no web fonts, analytics, proxy or agent), nothing may break
 * the Content-Security-Policy, and "Test Request" must reach this server's POST /api/ask and get a real answer
 * (the e2e server asks the Ollama stand-in).
 *
 * Scalar behaves differently on local addresses (127.0.0.1 turns on its agent and developer offers) and on public
 * ones (its web client would route requests through Scalar's hosted proxy), so both are visited: the second by a
 * name the browser resolves to this machine, which Scalar treats as public and the browser as an insecure origin.
 */

const PUBLIC_ORIGIN = `http://medgpt.internal:${APP_PORT}`;

// The public name resolves to this machine (a browser-wide setting, so it is set for the whole file; no other test
// uses that name). These launch options replace the config's, so those are repeated.
const launchOptions = config.use?.launchOptions ?? {};
test.use({
  launchOptions: {
    ...launchOptions,
    args: [...(launchOptions.args ?? []), "--host-resolver-rules=MAP medgpt.internal 127.0.0.1"],
  },
});

type Watch = { requests: string[]; consoleErrors: string[]; violations: () => Promise<string[]> };

/** Every request the page makes, every console error, and every CSP violation the document reports. */
async function watch(page: Page): Promise<Watch> {
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  page.on("request", (r) => requests.push(r.url()));
  page.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(m.text());
  });
  page.on("pageerror", (e) => consoleErrors.push(`uncaught: ${e.message}`));
  await page.addInitScript(() => {
    const w = window as unknown as { __cspViolations: string[] };
    w.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      w.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI}`),
    );
  });
  const violations = () => page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
  return { requests, consoleErrors, violations };
}

const ASK_SUMMARY = "Answer a multiple-choice clinical question";

/** Goes to Scalar's section on POST /api/ask as a reader would: through the reference's sidebar (sections render
 * as they come into view). */
async function openAskOperation(page: Page) {
  await page
    .getByRole("complementary", { name: /^Sidebar for MedGPT API/ })
    .getByRole("link", { name: new RegExp(`^${ASK_SUMMARY}`) })
    .click();
  await expect(page.getByRole("heading", { name: ASK_SUMMARY })).toBeVisible();
}

/** Opens the test-request client on POST /api/ask, sends the example it starts with, and returns the answer. */
async function sendExampleAsk(page: Page, origin: string) {
  await page.getByRole("button", { name: /Test Request.*post \/api\/ask/i }).click();
  const client = page.getByRole("dialog", { name: "API Client" });
  await expect(client).toBeVisible();
  // The client was aimed at the page's own origin, and starts from the one-JSON-answer example.
  await expect(client).toContainText(`${origin}`);
  await expect(client).toContainText("A 14-year-old boy has polyuria");

  const sent = page.waitForRequest((r) => r.url() === `${origin}/api/ask` && r.method() === "POST");
  const answered = page.waitForResponse((r) => r.url() === `${origin}/api/ask` && r.request().method() === "POST");
  await client.getByRole("button", { name: /Send post request to/ }).click();
  const request = await sent;
  expect(request.postDataJSON()).toMatchObject({ stream: false, options: { B: "Autoimmune beta-cell destruction" } });
  const response = await answered;
  expect(response.status()).toBe(200);
  const body = (await response.json()) as { answer: { letter: string | null }; model: string };
  expect(body.answer.letter).toMatch(/^[A-E]$/);
  // The client shows what came back.
  await expect(client).toContainText("200");
  await expect(client).toContainText(body.model);
  return client;
}

async function expectNothingLeftTheOrigin(w: Watch, origin: string) {
  const foreign = w.requests.filter((url) => !url.startsWith(`${origin}/`) && !/^(data|blob):/.test(url));
  expect(foreign, "requests to another host").toEqual([]);
  expect(await w.violations(), "Content-Security-Policy violations").toEqual([]);
  expect(w.consoleErrors, "console errors").toEqual([]);
}

test.beforeEach(async () => {
  await resetStandin();
});

test("/docs has the guide with this server's address, then the interactive reference, whose test request answers", async ({
  page,
  baseURL,
}, testInfo) => {
  const w = await watch(page);
  await page.goto("/docs");

  // The guide: what MedGPT is for, and curl examples aimed at the host the page was reached by.
  await expect(page.getByTestId("disclaimer")).toContainText("Decision support for healthcare professionals");
  await expect(page.getByLabel("Streaming (default): request")).toContainText(`curl -N -X POST ${baseURL}/api/ask`);
  await expect(page.getByLabel("One JSON answer: request")).toContainText(`curl -X POST ${baseURL}/api/ask`);
  await expect(page.getByRole("cell", { name: "upstream_unavailable" })).toBeVisible();
  await expect(page.getByLabel("Streaming (default): request")).not.toContainText("localhost:3000");

  // The reference, rendered in the browser from /api/openapi.json.
  await openAskOperation(page);
  expect(w.requests).toContain(`${baseURL}/api/openapi.json`);
  await testInfo.attach("docs-reference", { body: await page.screenshot(), contentType: "image/png" });

  const client = await sendExampleAsk(page, baseURL!);
  await testInfo.attach("docs-test-request", { body: await page.screenshot(), contentType: "image/png" });
  await client.getByRole("button", { name: "Close Client" }).click();
  await expect(client).toBeHidden();

  await expectNothingLeftTheOrigin(w, baseURL!);
});

test.describe("reached by a public name", () => {
  test("the reference loads nothing from Scalar's hosts and its test request goes straight to this server, not a proxy", async ({
    page,
  }) => {
    const w = await watch(page);
    await page.goto(`${PUBLIC_ORIGIN}/docs`);
    await expect(page.getByLabel("One JSON answer: request")).toContainText(`curl -X POST ${PUBLIC_ORIGIN}/api/ask`);
    await openAskOperation(page);
    await sendExampleAsk(page, PUBLIC_ORIGIN);
    await expectNothingLeftTheOrigin(w, PUBLIC_ORIGIN);
  });
});

test("the copy button copies the curl command as shown", async ({ page, context, baseURL }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.goto("/docs");
  await page.getByRole("button", { name: "Copy the One JSON answer request" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Copied" })).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(await page.getByLabel("One JSON answer: request").textContent());
  expect(copied).toContain(`${baseURL}/api/ask`);
});
