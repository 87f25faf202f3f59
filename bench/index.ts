/**
 * npm run bench — every performance claim, measured in one run on this machine and printed as a table of figures
 * beside their targets, then written to BENCHMARKS.md (section "npm run bench") with the machine and the date.
 * Nothing here is asserted in tests: timings depend on the machine. Sections that need the production build
 * (`npm run build`) or ../shared say so and are skipped.
 */
import { benchBundleSize } from "./bundle-size";
import { benchDashboardData } from "./dashboard-data";
import { benchDatasetParse } from "./dataset-parse";
import { benchEmbeddedOverhead } from "./embedded-overhead";
import { benchEvalConcurrency } from "./eval-concurrency";
import { benchStreamOverhead, type CpuSplit } from "./stream-overhead";
import { hasBuild } from "./app-server";
import { machineLine, markdownTable, writeSection } from "./benchmarks-md";

type Row = { area: string; measure: string; figure: string; target: string; meets: "yes" | "no" | "" };
const rows: Row[] = [];
const notes: string[] = [];
const add = (area: string, measure: string, figure: string, target = "", meets: boolean | null = null) =>
  rows.push({ area, measure, figure, target, meets: meets === null ? "" : meets ? "yes" : "no" });
const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;

async function main() {
  // First: it sets the process's admin token and database path before anything reads the configuration.
  console.log("== dashboard data: a generated 10,000-question run");
  for (const r of await benchDashboardData()) {
    const figure = r.medianMs >= 1000 ? `${(r.medianMs / 1000).toFixed(2)} s` : `${r.medianMs} ms`;
    const target = r.target === null ? "" : r.target >= 1000 ? `< ${r.target / 1000} s` : `< ${r.target} ms`;
    add("dashboard", r.name, figure, target, r.target === null ? null : r.medianMs < r.target);
  }

  console.log("== streaming: the same generation straight from the Ollama stand-in and through POST /api/ask");
  const stream = await benchStreamOverhead();
  if ("skipped" in stream) notes.push(`streaming: skipped, ${stream.skipped}`);
  else {
    const t = stream.ttft;
    add(
      "streaming",
      "added time to first token (median of 40 sequential)",
      `${t.addedMs} ms (direct ${t.directMs}, app ${t.appMs})`,
      "≤ 3 ms",
      t.addedMs <= 3,
    );
    add(
      "streaming",
      "a request that does nothing: Next.js route ÷ stand-in (the floor under the added time)",
      `${stream.floor.appMs} ms vs ${stream.floor.directMs} ms`,
    );
    for (const c of stream.concurrency) {
      add(
        "streaming",
        `${c.streams} concurrent streams, wall time direct ÷ app`,
        `${c.ratio} (${c.directMs} / ${c.appMs} ms, all complete: ${c.complete ? "yes" : "no"})`,
        "≥ 0.8, all complete",
        c.ratio >= 0.8 && c.complete,
      );
      if (c.cpu) {
        const split = (x: CpuSplit, app: boolean) =>
          `client ${x.clientMs}, stand-in ${x.standinMs}${app ? `, app ${x.appMs}` : ""}`;
        add(
          "streaming",
          `${c.streams} concurrent streams, CPU ms per run by process (2 cores shared by all)`,
          `direct: ${split(c.cpu.direct, false)}; through the app: ${split(c.cpu.app, true)}`,
        );
      }
    }
    notes.push(
      `streaming: stand-in delay ${stream.tokenDelayMs} ms per token, ${stream.tokensPerStream} token events per stream`,
    );
  }

  console.log("== embedded engine: per-request time through POST /api/ask over direct node-llama-cpp");
  const emb = await benchEmbeddedOverhead({ maxTokens: 64, reps: 9 });
  if ("skipped" in emb) notes.push(`embedded: skipped, ${emb.skipped}`);
  else {
    add(
      "embedded",
      `added time per request (${emb.tokensPerCall.api} tokens, median of ${emb.reps})`,
      `${emb.apiOverheadMs} ms (direct ${emb.directMs}, app ${emb.apiMs})`,
      "≤ 10 ms",
      emb.apiOverheadMs <= 10,
    );
    add(
      "embedded",
      "added time per request, answered as one JSON object (no event stream)",
      `${emb.apiJsonOverheadMs} ms (direct ${emb.directMs}, app ${emb.apiJsonMs})`,
    );
    add("embedded", "tokens/s through EmbeddedBackend ÷ direct", `${emb.backendRatio}`);
  }

  console.log("== first-load JavaScript per page (gzip), from the build's manifests");
  if (!hasBuild()) notes.push("first-load JS: skipped, run `npm run build` first");
  else {
    for (const r of benchBundleSize(".next")) {
      add(
        "first-load JS",
        r.route,
        kB(r.gzipBytes),
        r.target === null ? "" : `≤ ${kB(r.target)}`,
        r.target === null ? null : r.gzipBytes <= r.target,
      );
    }
  }

  console.log("== dataset import: 100 MB files, read whole vs streamed (child processes)");
  for (const r of await benchDatasetParse()) {
    add(
      "dataset import",
      `${r.file} (${r.mb} MB), ${r.mode === "whole" ? "whole text in memory" : "streamed"}`,
      `${(r.ms / 1000).toFixed(1)} s, peak RSS ${r.maxRssMb} MB, ${r.items} items`,
    );
  }

  console.log("== evaluation runner: 93 recorded cases, wall time by generation concurrency");
  const evalBench = await benchEvalConcurrency({ tokenDelayMs: 1, levels: [1, 2, 4] });
  if ("skipped" in evalBench) notes.push(`evaluation runner: skipped, ${evalBench.skipped}`);
  else
    for (const r of evalBench.rows)
      add(
        "evaluation runner",
        `concurrency ${r.concurrency}, 93 items`,
        `${r.wallMs} ms (${r.speedup.toFixed(2)}× vs 1; ${r.correct} correct)`,
      );

  const table = markdownTable(
    ["area", "measure", "figure", "target", "meets"],
    rows.map((r) => [r.area, r.measure, r.figure, r.target, r.meets === "no" ? "**no**" : r.meets]),
  );
  console.log(`\n${table}\n`);
  for (const n of notes) console.log(`- ${n}`);
  await writeSection(
    "Performance (`npm run bench`)",
    `${machineLine()}; one run, medians; ratios are measured side by side in that run.\n\n${table}${notes.length ? `\n\n${notes.map((n) => `- ${n}`).join("\n")}` : ""}`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
