import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

/**
 * What browser code can reach through its static imports: type-only imports are erased and dynamic `import()` loads
 * later, so neither counts. The client-imports tests of the clinician page and the dashboard walk it to keep heavy or
 * server-side modules out of the pages' first-load JavaScript (bench/bundle-size.ts measures the result).
 */

export const ROOT = path.resolve(__dirname, "..");

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

/**
 * Every local file (absolute path) and package the entries (paths from the project root) reach, each with one
 * importer (a path from the root, or "(entry)") for the test's message.
 */
export function reach(entries: string[]) {
  const files = new Map<string, string>();
  const packages = new Map<string, string>();
  const queue = entries.map((e) => path.join(ROOT, e));
  for (const e of queue) files.set(e, "(entry)");
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    const rel = path.relative(ROOT, file);
    for (const spec of valueImports(file)) {
      if (spec.startsWith(".") || spec.startsWith("@/")) {
        const target = resolveLocal(file, spec);
        if (!target) throw new Error(`${rel}: cannot resolve ${spec}`);
        if (!files.has(target)) {
          files.set(target, rel);
          queue.push(target);
        }
      } else {
        const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : (spec.split("/")[0] ?? spec);
        if (!packages.has(spec)) packages.set(spec, rel);
        if (!packages.has(name)) packages.set(name, rel);
      }
    }
  }
  return { files, packages };
}

/** The reached packages whose name matches, as "name (imported by file)". */
export const packagesMatching = (packages: Map<string, string>, pattern: RegExp) =>
  [...packages.entries()].filter(([name]) => pattern.test(name)).map(([name, by]) => `${name} (imported by ${by})`);

/** The reached files whose path from the root matches, as "file (imported by file)". */
export const filesMatching = (files: Map<string, string>, pattern: RegExp) =>
  [...files.entries()]
    .map(([f, by]) => [path.relative(ROOT, f), by] as const)
    .filter(([f]) => pattern.test(f))
    .map(([f, by]) => `${f} (imported by ${by})`);
