import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * What the clinician page's browser code can reach through its static imports (type-only imports are erased, dynamic
 * ones load later): never zod (about 32 kB of first-load JavaScript; the page reads answers with lib/schemas/read-ask.ts),
 * never recharts, never server-only code. bench/bundle-size.ts measures the result; this keeps it from creeping back.
 */

const ROOT = path.resolve(__dirname, "../..");

/** The page's client entry points: its "use client" components and the root layout's providers. */
const ENTRIES = ["components/ask/ask-form.tsx", "components/ask/backend-banner.tsx", "components/providers.tsx"];

function resolveLocal(from: string, spec: string): string | null {
  const base = spec.startsWith("@/") ? path.join(ROOT, spec.slice(2)) : path.resolve(path.dirname(from), spec);
  for (const candidate of [
    base,
    `${base}.ts`,
    `${base}.tsx`,
    path.join(base, "index.ts"),
    path.join(base, "index.tsx"),
  ])
    if (existsSync(candidate) && candidate.match(/\.tsx?$/)) return candidate;
  return null;
}

/** Module specifiers `file` imports at run time, statically. */
function valueImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  for (const node of source.statements) {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const typeOnly =
        clause?.isTypeOnly ||
        (clause &&
          !clause.name &&
          clause.namedBindings &&
          ts.isNamedImports(clause.namedBindings) &&
          clause.namedBindings.elements.length > 0 &&
          clause.namedBindings.elements.every((e) => e.isTypeOnly));
      if (!typeOnly) out.push((node.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && !node.isTypeOnly) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : null;
      if (!named || named.some((e) => !e.isTypeOnly)) out.push((node.moduleSpecifier as ts.StringLiteral).text);
    }
  }
  return out;
}

/** Every local file and package the entries reach, with one importer of each for the message. */
function reach(entries: string[]) {
  const files = new Map<string, string>();
  const packages = new Map<string, string>();
  const queue = entries.map((e) => path.join(ROOT, e));
  for (const e of queue) files.set(e, "(entry)");
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const spec of valueImports(file)) {
      const rel = path.relative(ROOT, file);
      if (spec.startsWith(".") || spec.startsWith("@/")) {
        const target = resolveLocal(file, spec);
        if (!target) throw new Error(`${rel}: cannot resolve ${spec}`);
        if (!files.has(target)) {
          files.set(target, rel);
          queue.push(target);
        }
      } else {
        const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!;
        if (!packages.has(spec)) packages.set(spec, rel);
        if (!packages.has(name)) packages.set(name, rel);
      }
    }
  }
  return { files, packages };
}

describe("the clinician page's browser code", () => {
  const { files, packages } = reach(ENTRIES);

  it("reaches the modules it is expected to (the walk itself works)", () => {
    const reached = [...files.keys()].map((f) => path.relative(ROOT, f));
    expect(reached).toEqual(
      expect.arrayContaining(["components/ask/validate.ts", "lib/ask/client.ts", "lib/schemas/read-ask.ts"]),
    );
    expect([...packages.keys()]).toEqual(expect.arrayContaining(["react", "@tanstack/react-query"]));
  });

  it("never imports zod, recharts or server-only code", () => {
    const banned = [...packages.entries()]
      .filter(([name]) => /^(zod|recharts|server-only|node:|better-sqlite3|next\/headers)/.test(name))
      .map(([name, by]) => `${name} (imported by ${by})`);
    expect(banned).toEqual([]);
  });

  it("never imports a zod schema module of lib/schemas, nor the server's error table", () => {
    const heavy = [...files.entries()]
      .map(([f, by]) => [path.relative(ROOT, f), by] as const)
      .filter(([f]) => /^lib\/(schemas\/(ask|options|service|model-name)\.ts|errors\.ts|config\.ts)$/.test(f))
      .map(([f, by]) => `${f} (imported by ${by})`);
    expect(heavy).toEqual([]);
  });
});
