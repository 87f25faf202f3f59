import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { filesMatching, packagesMatching, reach, ROOT } from "@/test-support/import-graph";

/**
 * What the dashboard's browser code can reach through its static imports: never zod (about 45 kB of first-load
 * JavaScript with the evaluation API's schemas; the pages read answers with components/admin/read-eval.ts, and the
 * new-run form loads its request schema after it appears), never recharts (the charts load after hydration, through
 * React.lazy), never server-only code. bench/bundle-size.ts measures the result; this keeps it from creeping back.
 */

/** The dashboard's pages and layouts (server components). */
function pageFiles(dir = "app/admin"): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? pageFiles(path.join(dir, e.name))
      : /^(page|layout)\.tsx$/.test(e.name)
        ? [path.join(dir, e.name)]
        : [],
  );
}

const isClient = (file: string) => /^\s*["']use client["']/.test(readFileSync(file, "utf8"));

/** The client components the pages render: the browser's entry points (with the root layout's providers). */
const entries = [
  ...[...reach(pageFiles()).files.keys()].filter(isClient).map((f) => path.relative(ROOT, f)),
  "components/providers.tsx",
];

describe("the dashboard's browser code", () => {
  const { files, packages } = reach(entries);

  it("reaches the modules it is expected to (the walk itself works)", () => {
    expect(entries).toEqual(
      expect.arrayContaining(["components/admin/runs-table.tsx", "components/admin/new-run-form.tsx"]),
    );
    const reached = [...files.keys()].map((f) => path.relative(ROOT, f));
    expect(reached).toEqual(expect.arrayContaining(["components/admin/read-eval.ts", "lib/schemas/read.ts"]));
    expect([...packages.keys()]).toEqual(expect.arrayContaining(["react", "@tanstack/react-query"]));
  });

  it("never imports zod, recharts or server-only code", () => {
    expect(packagesMatching(packages, /^(zod|recharts|server-only|node:|better-sqlite3|next\/headers)/)).toEqual([]);
  });

  it("never imports a zod schema module, nor the server's error table or config", () => {
    expect(
      filesMatching(
        files,
        /^(eval\/(api\/schemas|domain)\.ts|lib\/(schemas\/(ask|options|service|model-name)\.ts|errors\.ts|config\.ts))$/,
      ),
    ).toEqual([]);
  });
});
