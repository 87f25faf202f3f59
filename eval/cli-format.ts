import type { RunRow } from "@/eval/store/runs";
import type { CliJson } from "./cli";

const pct = (v: number | null) => (v === null ? "—" : `${(v * 100).toFixed(1)}%`);
const num = (v: number | null, digits = 0) => (v === null ? "—" : v.toFixed(digits));

/** The human summary printed at the end of a run (not in --json mode). */
export function formatSummaryTable(run: RunRow, out: CliJson): string {
  const header = ["model", "correct", "accuracy (95% CI)", "format ok", "judge", "p50 ms", "p95 ms", "errors"];
  const rows = out.models.map((m) => [
    m.model,
    `${m.correct}/${m.total}`,
    `${pct(m.accuracy)} (${m.accuracyCi ? `${pct(m.accuracyCi[0])}–${pct(m.accuracyCi[1])}` : "—"})`,
    `${m.formatOk}`,
    num(m.judgeMean, 2),
    num(m.latencyP50Ms),
    num(m.latencyP95Ms),
    `${m.errors}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ");
  return [
    `run ${run.id} — ${run.status}`,
    line(header),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map(line),
  ].join("\n");
}

/** A progress bar on a TTY; on a pipe, a line every 10% so logs stay readable. */
export function progressBar(stream: NodeJS.WriteStream) {
  let lastDecile = -1;
  return {
    update(done: number, total: number, judged: number, errors: number) {
      const frac = total ? done / total : 1;
      if (stream.isTTY) {
        const width = 30;
        const filled = Math.round(frac * width);
        stream.write(
          `\r[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} generated, ${judged} judged, ${errors} errors`,
        );
      } else if (Math.floor(frac * 10) > lastDecile) {
        lastDecile = Math.floor(frac * 10);
        stream.write(`progress: ${done}/${total} generated, ${judged} judged, ${errors} errors\n`);
      }
    },
    done() {
      if (stream.isTTY) stream.write("\n");
    },
  };
}
