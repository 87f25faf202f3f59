import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { format, resolveConfig } from "prettier";

/** The machine and the date, for the line under a section's heading. */
export const machineLine = () =>
  `${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} CPUs, ${os.cpus()[0]?.model ?? "unknown CPU"}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}`;

/**
 * Replaces (or appends) one "## title" section of BENCHMARKS.md, leaving the others, and formats the file with the
 * project's Prettier settings (the CI checks formatting, and a bench run must not leave the tree failing it).
 */
export async function writeSection(title: string, body: string): Promise<void> {
  const file = "BENCHMARKS.md";
  const text = existsSync(file)
    ? readFileSync(file, "utf8")
    : "# Benchmarks\n\nFigures measured on this machine, one run each.\n";
  const heading = `## ${title}`;
  const start = text.indexOf(heading);
  const section = `${heading}\n\n${body}\n`;
  const next = text.indexOf("\n## ", start + heading.length);
  const updated =
    start < 0
      ? `${text.trimEnd()}\n\n${section}`
      : `${text.slice(0, start)}${section}${next < 0 ? "" : `\n${text.slice(next + 1)}`}`;
  const options = { ...(await resolveConfig(file)), filepath: file };
  writeFileSync(file, await format(updated, options));
}

/** A Markdown table. */
export function markdownTable(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
}
