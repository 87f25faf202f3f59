/**
 * First-load JavaScript of each page, gzip, from a production build's manifests: what the browser must download
 * before the page is interactive. `npx tsx bench/bundle-size.ts [.next]` prints the table; `npm run bench` prints it
 * through benchBundleSize.
 *
 * A page's first load is the scripts its HTML names: the root main files every page shares (React, React DOM, the
 * Next.js router and the Turbopack runtime: build-manifest.json `rootMainFiles`) and the entry chunks of the page
 * and its layouts (the `entryJSFiles` of the page's client reference manifest, .next/server/app/<page>
 * _client-reference-manifest.js). Not counted: the legacy polyfills (a `nomodule` script that current browsers skip),
 * CSS, and chunks loaded later on demand (next/dynamic, e.g. the charts). Each file is gzipped on its own at zlib's
 * default level, as a server compressing responses would send it; the standalone server sends them uncompressed.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import vm from "node:vm";
import { gzipSync } from "node:zlib";

/** Targets of issue 11, in bytes (1 kB = 1000 bytes): the clinician page, and every dashboard page. */
export const TARGETS = { clinician: 130_000, admin: 200_000 } as const;

export type BundleSizeRow = { route: string; gzipBytes: number; target: number | null };
export type RouteFirstLoad = BundleSizeRow & { rawBytes: number; files: string[] };

type ClientReferenceManifest = { entryJSFiles?: Record<string, string[]> };

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, "utf8")) as T;
}

/** The target of a route: 130 kB for the clinician page, 200 kB for each dashboard page, none for the others. */
export function targetOf(route: string): number | null {
  if (route === "/") return TARGETS.clinician;
  if (route === "/admin" || route.startsWith("/admin/")) return TARGETS.admin;
  return null;
}

/** The app's pages (not route handlers, not Next's own /_not-found and /_global-error), as URL patterns. */
export function pageRoutes(nextDir: string): { route: string; page: string }[] {
  const routes = readJson<Record<string, string>>(path.join(nextDir, "app-path-routes-manifest.json"));
  return Object.entries(routes)
    .filter(([page]) => page.endsWith("/page") && !page.startsWith("/_"))
    .map(([page, route]) => ({ route, page }))
    .sort((a, b) => a.route.localeCompare(b.route));
}

/** The scripts the HTML of `page` (e.g. "/admin/page") loads, as paths under .next/ ("static/chunks/…"). */
export function firstLoadFiles(nextDir: string, page: string): string[] {
  const build = readJson<{ rootMainFiles: string[] }>(path.join(nextDir, "build-manifest.json"));
  const manifestFile = path.join(nextDir, "server", "app", `${page}_client-reference-manifest.js`);
  // The manifest is a script assigning globalThis.__RSC_MANIFEST[page]; run it in an empty context to read it.
  const context: { __RSC_MANIFEST?: Record<string, ClientReferenceManifest> } = {};
  vm.runInNewContext(readFileSync(manifestFile, "utf8"), context, { filename: manifestFile });
  const manifest = context.__RSC_MANIFEST?.[page];
  if (!manifest?.entryJSFiles) throw new Error(`${manifestFile} has no entryJSFiles for ${page}`);
  const files = new Set(build.rootMainFiles);
  for (const chunks of Object.values(manifest.entryJSFiles)) for (const chunk of chunks) files.add(chunk);
  return [...files];
}

const gzipCache = new Map<string, { raw: number; gzip: number }>();
function sizes(file: string): { raw: number; gzip: number } {
  let s = gzipCache.get(file);
  if (!s) {
    const body = readFileSync(file);
    s = { raw: body.length, gzip: gzipSync(body).length };
    gzipCache.set(file, s);
  }
  return s;
}

/** Each page's first-load scripts and their sizes. */
export function firstLoad(nextDir = ".next"): RouteFirstLoad[] {
  if (!existsSync(path.join(nextDir, "app-path-routes-manifest.json")))
    throw new Error(`no production build in ${path.resolve(nextDir)}: run \`npm run build\` first`);
  return pageRoutes(nextDir).map(({ route, page }) => {
    const files = firstLoadFiles(nextDir, page);
    let rawBytes = 0;
    let gzipBytes = 0;
    for (const f of files) {
      const s = sizes(path.join(nextDir, f));
      rawBytes += s.raw;
      gzipBytes += s.gzip;
    }
    return { route, gzipBytes, rawBytes, files, target: targetOf(route) };
  });
}

/** What every page loads whatever it is (the root main files): the floor under every figure. */
export function sharedByAll(nextDir = ".next"): { gzipBytes: number; files: string[] } {
  const files = readJson<{ rootMainFiles: string[] }>(path.join(nextDir, "build-manifest.json")).rootMainFiles;
  return { gzipBytes: files.reduce((sum, f) => sum + sizes(path.join(nextDir, f)).gzip, 0), files };
}

/** Rows for the bench table: route, first-load JS gzip bytes, target bytes (null: none). */
export function benchBundleSize(nextDir = ".next"): BundleSizeRow[] {
  return firstLoad(nextDir).map(({ route, gzipBytes, target }) => ({ route, gzipBytes, target }));
}

const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

export function formatTable(rows: RouteFirstLoad[], floor: { gzipBytes: number }): string {
  const width = Math.max(...rows.map((r) => r.route.length), 5);
  const lines = [`${"route".padEnd(width)}  files  raw        gzip      target    `];
  for (const r of rows) {
    const verdict = r.target === null ? "" : r.gzipBytes <= r.target ? "ok" : `over by ${kB(r.gzipBytes - r.target)}`;
    lines.push(
      `${r.route.padEnd(width)}  ${String(r.files.length).padStart(5)}  ${kB(r.rawBytes).padStart(9)}  ${kB(r.gzipBytes).padStart(8)}  ${(r.target === null ? "-" : kB(r.target)).padStart(8)}  ${verdict}`,
    );
  }
  lines.push(`shared by every page (React, React DOM, Next.js runtime): ${kB(floor.gzipBytes)} gzip`);
  return lines.join("\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const nextDir = process.argv[2] ?? ".next";
  console.log(`== first-load JavaScript per page (gzip), from ${path.join(nextDir, "")} manifests`);
  console.log(formatTable(firstLoad(nextDir), sharedByAll(nextDir)));
}
