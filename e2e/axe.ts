import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/**
 * Runs axe-core on the page as it is now and fails on any serious or critical violation, listing each one as
 * "rule: element(s)" so that the failure names what to fix. Moderate and minor findings are reported in the test's
 * output but do not fail it.
 */
export async function expectNoSeriousA11yViolations(page: Page, where: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"])
    .analyze();
  const describe = (v: (typeof results.violations)[number]) =>
    `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`;
  const lesser = results.violations.filter((v) => v.impact !== "serious" && v.impact !== "critical");
  if (lesser.length) console.log(`[axe] ${where}: ${lesser.map(describe).join("; ")}`);
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map(describe), `serious or critical accessibility violations on ${where}`).toEqual([]);
}
