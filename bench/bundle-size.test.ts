import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { benchBundleSize, firstLoad, formatTable, sharedByAll } from "./bundle-size";

/**
 * The first-load computation on a hand-made build directory shaped like Next 16's (Turbopack) output, so the rules
 * are pinned down: root main files + every entry chunk of the page's manifest, each file counted once, route
 * handlers and Next's own pages left out. (Against a real build it was checked with a browser: see README.)
 */

let dir: string;
const chunk = (name: string, size: number) => {
  // Distinct, poorly compressible contents so that a file counted twice or skipped changes the sum.
  let body = `/*${name}*/`;
  for (let i = 0; body.length < size; i++) body += ((i * 2654435761) >>> 0).toString(36);
  writeFileSync(path.join(dir, "static/chunks", name), body);
  return gzipSync(body).length;
};
const manifest = (page: string, entries: Record<string, string[]>) => {
  const file = path.join(dir, "server/app", `${page}_client-reference-manifest.js`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(
    file,
    `globalThis.__RSC_MANIFEST = globalThis.__RSC_MANIFEST || {};\nglobalThis.__RSC_MANIFEST[${JSON.stringify(page)}] = ${JSON.stringify({ moduleLoading: { prefix: "" }, clientModules: {}, entryJSFiles: entries })};\n`,
  );
};
const gz: Record<string, number> = {};

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "medgpt-bundle-"));
  mkdirSync(path.join(dir, "static/chunks"), { recursive: true });
  for (const [name, size] of Object.entries({
    "main.js": 5000,
    "react.js": 9000,
    "runtime.js": 1000,
    "polyfill.js": 4000,
    "layout.js": 2000,
    "page.js": 3000,
    "admin-layout.js": 700,
    "admin.js": 2500,
    "lazy.js": 8000,
  }))
    gz[name] = chunk(name, size);
  writeFileSync(
    path.join(dir, "build-manifest.json"),
    JSON.stringify({
      polyfillFiles: ["static/chunks/polyfill.js"],
      rootMainFiles: ["static/chunks/main.js", "static/chunks/react.js", "static/chunks/runtime.js"],
    }),
  );
  writeFileSync(
    path.join(dir, "app-path-routes-manifest.json"),
    JSON.stringify({
      "/page": "/",
      "/admin/page": "/admin",
      "/docs/page": "/docs",
      "/_not-found/page": "/_not-found",
      "/api/ask/route": "/api/ask",
    }),
  );
  const layout = ["static/chunks/layout.js"];
  manifest("/page", {
    "[project]/app/layout": layout,
    "[project]/node_modules/next/dist/client/components/builtin/global-error": layout,
    "[project]/app/page": [...layout, "static/chunks/page.js"],
  });
  manifest("/admin/page", {
    "[project]/app/layout": layout,
    "[project]/app/admin/layout": [...layout, "static/chunks/admin-layout.js"],
    "[project]/app/admin/page": [...layout, "static/chunks/admin-layout.js", "static/chunks/admin.js"],
  });
  manifest("/docs/page", { "[project]/app/layout": layout, "[project]/app/docs/page": [...layout] });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("first-load JavaScript from the manifests", () => {
  it("counts the root main files and each entry chunk of the page once; no polyfills, no lazy chunks", () => {
    const rows = firstLoad(dir);
    expect(rows.map((r) => r.route)).toEqual(["/", "/admin", "/docs"]);
    const root = gz["main.js"]! + gz["react.js"]! + gz["runtime.js"]!;
    const [home, admin, docs] = rows;
    expect(home!.files.map((f) => path.basename(f))).toEqual([
      "main.js",
      "react.js",
      "runtime.js",
      "layout.js",
      "page.js",
    ]);
    expect(home!.gzipBytes).toBe(root + gz["layout.js"]! + gz["page.js"]!);
    expect(admin!.gzipBytes).toBe(root + gz["layout.js"]! + gz["admin-layout.js"]! + gz["admin.js"]!);
    expect(docs!.gzipBytes).toBe(root + gz["layout.js"]!);
    expect(sharedByAll(dir).gzipBytes).toBe(root);
  });

  it("gives the bench rows with issue 11's targets: 130 kB for /, 200 kB for the dashboard, none for /docs", () => {
    expect(benchBundleSize(dir).map(({ route, target }) => [route, target])).toEqual([
      ["/", 130_000],
      ["/admin", 200_000],
      ["/docs", null],
    ]);
    const table = formatTable(firstLoad(dir), sharedByAll(dir));
    expect(table).toMatch(/^\/admin\s+6\s/m);
    expect(table).toContain("shared by every page");
  });

  it("says what to do when there is no build", () => {
    expect(() => firstLoad(path.join(dir, "missing"))).toThrow(/npm run build/);
  });
});
