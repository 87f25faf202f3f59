#!/usr/bin/env node
// Copies the packages Next leaves external (next.config.mjs `serverExternalPackages`), whole and with
// everything they depend on, into the standalone output's node_modules.
//
// Why: `output: "standalone"` copies only the files Next's tracer sees being required. Native addons
// and platform binaries that are found at run time (better-sqlite3's .node file via `bindings`,
// node-llama-cpp's @node-llama-cpp/<platform> binaries) can be missed, and the server then fails on
// the first request that opens the database or loads a local model. Copying the dependency closure
// makes the image independent of what the tracer happened to find.
//
// Usage: node docker/copy-externals.mjs <project root> <standalone dir> [--list | --link]
//   --list prints the closure (one "name<TAB>path relative to the project" per line) and copies nothing.
//   --link (npm run build's postbuild, for `npm start` on this machine) replaces each traced external package by
//          a symlink to the project's own copy: Node follows it to the real path, where every dependency is
//          installed, so nothing large is copied. The Docker image uses the full copy instead.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

/** The package's directory as Node would resolve `name` from `fromDir`, or null when not installed. */
export function locatePackage(name, fromDir, root) {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", name);
    if (existsSync(path.join(candidate, "package.json"))) return candidate;
    if (dir === root || dir === path.dirname(dir)) return null;
  }
}

/**
 * Every installed package reachable from `names` through dependencies and optionalDependencies. An
 * optional dependency that is not installed (another platform's binary, or one removed on purpose) is
 * skipped; a missing required dependency is an error, since the server would fail to load it.
 */
export function dependencyClosure(root, names) {
  const found = new Map(); // package dir → name
  const queue = names.map((name) => ({ name, from: root, optional: false, parent: "next.config.mjs" }));
  while (queue.length > 0) {
    const { name, from, optional, parent } = queue.shift();
    const dir = locatePackage(name, from, root);
    if (dir === null) {
      if (optional) continue;
      throw new Error(`${name} (needed by ${parent}) is not installed under ${root}/node_modules; run npm ci first`);
    }
    if (found.has(dir)) continue;
    found.set(dir, name);
    const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
    for (const dep of Object.keys(pkg.dependencies ?? {}))
      queue.push({ name: dep, from: dir, optional: false, parent: name });
    for (const dep of Object.keys(pkg.optionalDependencies ?? {}))
      queue.push({ name: dep, from: dir, optional: true, parent: name });
  }
  return [...found].map(([dir, name]) => ({ name, dir })).sort((a, b) => a.dir.localeCompare(b.dir));
}

/** In a node-gyp package only the compiled `.node` files of build/ are needed at run time. */
function keepFile(pkgDir, src) {
  const rel = path.relative(pkgDir, src);
  if (!existsSync(path.join(pkgDir, "binding.gyp"))) return true;
  const top = rel.split(path.sep)[0];
  if (top === "deps" || top === "src") return false;
  if (top !== "build" || rel === "build") return true;
  return (
    !src.endsWith(".a") &&
    !src.endsWith(".o") &&
    !rel.split(path.sep).some((p) => p === "obj" || p === "obj.target" || p === ".deps") &&
    !rel.endsWith("test_extension.node")
  );
}

async function main(argv) {
  const [rootArg, destArg, flag] = argv;
  if (!rootArg || !destArg || (flag !== undefined && flag !== "--list" && flag !== "--link")) {
    console.error("usage: node docker/copy-externals.mjs <project root> <standalone dir> [--list | --link]");
    return 2;
  }
  const root = path.resolve(rootArg);
  const dest = path.resolve(destArg);
  const config = (await import(pathToFileURL(path.join(root, "next.config.mjs")).href)).default;
  const externals = config.serverExternalPackages ?? [];
  if (flag === "--link") {
    for (const name of externals) {
      const src = locatePackage(name, root, root);
      if (!src) throw new Error(`${name} is not installed; run npm ci first`);
      const target = path.join(dest, "node_modules", name);
      rmSync(target, { recursive: true, force: true });
      mkdirSync(path.dirname(target), { recursive: true });
      symlinkSync(path.relative(path.dirname(target), src), target, "dir");
    }
    console.log(`linked ${externals.join(", ")} into ${path.relative(root, dest) || "."}/node_modules`);
    return 0;
  }
  const closure = dependencyClosure(root, externals);
  if (flag === "--list") {
    for (const { name, dir } of closure) console.log(`${name}\t${path.relative(root, dir)}`);
    return 0;
  }
  for (const { dir } of closure) {
    const target = path.join(dest, path.relative(root, dir));
    // Replace whatever the tracer copied, so no half-traced package is left behind.
    rmSync(target, { recursive: true, force: true });
    cpSync(dir, target, {
      recursive: true,
      dereference: true,
      // Nested node_modules are packages of their own: copied when the closure reaches them.
      filter: (src) => path.basename(src) !== "node_modules" && keepFile(dir, src),
    });
  }
  console.log(
    `copied ${closure.length} packages (closure of ${externals.join(", ")}) into ${path.relative(root, dest) || "."}/node_modules`,
  );
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.exitCode = await main(process.argv.slice(2));
}
