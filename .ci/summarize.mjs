// Adds up the step checks, vitest's and Playwright's JSON reports into one closing line.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

const [outDir, vitestRc] = process.argv.slice(2);
let passed = 0,
  failed = 0,
  skipped = 0;
const lines = [];

for (const line of readFileSync(path.join(outDir, "steps.txt"), "utf8").split("\n").filter(Boolean)) {
  const [name, result] = line.split(" ");
  if (result === "pass") passed++;
  else failed++;
  lines.push(`${name}: ${result}`);
}

const vitestFile = path.join(outDir, "vitest.json");
if (existsSync(vitestFile)) {
  const v = JSON.parse(readFileSync(vitestFile, "utf8"));
  passed += v.numPassedTests;
  failed += v.numFailedTests;
  skipped += v.numPendingTests + (v.numTodoTests ?? 0);
  // A suite that failed to load has no tests counted; count it as a failure so it cannot pass silently.
  const brokenSuites = (v.testResults ?? []).filter(
    (r) => r.status === "failed" && r.assertionResults.length === 0,
  ).length;
  failed += brokenSuites;
  lines.push(
    `vitest: ${v.numPassedTests} passed, ${v.numFailedTests + brokenSuites} failed, ${v.numPendingTests} skipped`,
  );
} else {
  failed++;
  lines.push(`vitest: no report (exit ${vitestRc})`);
}

const pwFile = path.join(outDir, "playwright.json");
if (existsSync(pwFile)) {
  const report = JSON.parse(readFileSync(pwFile, "utf8"));
  const s = report.stats ?? {};
  // A run that never started its tests (a web server that could not start, a port in use) reports no test at all,
  // only top-level errors: each counts as a failure, or such a run would pass as "0 failed".
  const pwFailed = (s.unexpected ?? 0) + (s.flaky ?? 0) + (report.errors ?? []).length;
  passed += s.expected ?? 0;
  failed += pwFailed;
  skipped += s.skipped ?? 0;
  lines.push(`playwright: ${s.expected ?? 0} passed, ${pwFailed} failed, ${s.skipped ?? 0} skipped`);
} else {
  failed++;
  lines.push("playwright: no report");
}

console.log("\n== summary");
for (const l of lines) console.log(`  ${l}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
