import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";

/** The machine and the date, for the line under a section's heading. */
export const machineLine = () =>
  `${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} CPUs, ${os.cpus()[0]?.model ?? "unknown CPU"}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}`;

/** Replaces (or appends) one "## title" section of BENCHMARKS.md, leaving the others. */
export function writeSection(title: string, body: string) {
  const file = "BENCHMARKS.md";
  const text = existsSync(file)
    ? readFileSync(file, "utf8")
    : "# Benchmarks\n\nFigures measured on this machine, one run each.\n";
  const heading = `## ${title}`;
  const start = text.indexOf(heading);
  const section = `${heading}\n\n${body}\n`;
  if (start < 0) return writeFileSync(file, `${text.trimEnd()}\n\n${section}`);
  const next = text.indexOf("\n## ", start + heading.length);
  writeFileSync(file, `${text.slice(0, start)}${section}${next < 0 ? "" : `\n${text.slice(next + 1)}`}`);
}

/** A Markdown table. */
export function markdownTable(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
}
