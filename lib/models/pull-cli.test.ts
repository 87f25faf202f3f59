import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRegistryStandin, type RegistryStandin } from "@/test-support/registry-standin";

/** The CLI as users run it: tsx with the react-server condition (so `server-only` is a no-op). */
const run = (args: string[]) =>
  promisify(execFile)(
    process.execPath,
    [path.resolve("node_modules/tsx/dist/cli.mjs"), "--conditions=react-server", "lib/models/pull-cli.ts", ...args],
    {
      cwd: path.resolve("."),
    },
  ).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

let reg: RegistryStandin;
let cacheDir: string;
beforeAll(async () => {
  reg = await startRegistryStandin([{ name: "mrizwank97/medgpt:latest", blob: randomBytes(300_000) }]);
  cacheDir = await mkdtemp(path.join(tmpdir(), "medgpt-pull-cli-"));
});
afterAll(async () => {
  await reg.stop();
  await rm(cacheDir, { recursive: true, force: true });
});

describe("model:pull CLI", () => {
  it("pulls, prints plain progress lines when not a TTY, and the verified path last", async () => {
    const r = await run(["mrizwank97/medgpt", "--registry", reg.url, "--cache-dir", cacheDir]);
    expect(r.stderr).toMatch(/downloading: 100%/);
    expect(r.stderr).toMatch(/verified/);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split("\n").at(-1)).toBe(
      path.join(cacheDir, "blobs", reg.digestOf("mrizwank97/medgpt").replace(":", "-")),
    );
  }, 60_000);

  it("fails with a clear message and a non-zero exit", async () => {
    const missing = await run(["mrizwank97/nope", "--registry", reg.url, "--cache-dir", cacheDir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/error: Model 'mrizwank97\/nope:latest' was not found in the registry/);
    const usage = await run([]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/usage: npm run model:pull/);
  }, 60_000);
});
