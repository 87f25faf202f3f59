import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { hasShared, sharedPath } from "@/test-support/shared-data";
import { startRegistryStandin, type RegistryStandin } from "@/test-support/registry-standin";
import { findPulledModel, getPullState, pullModel } from "./registry";

/** The tiny real GGUF when ../shared is present, else random bytes of about its size. */
const BLOB = hasShared ? readFileSync(sharedPath("models", "llama-2-tiny-random.gguf")) : randomBytes(1_750_560);
const NAME = "mrizwank97/medgpt:latest";
const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

let reg: RegistryStandin;
let cacheDir: string;
const pull = (o: Parameters<typeof pullModel>[1] = {}) => pullModel(NAME, { registryBaseUrl: reg.url, cacheDir, ...o });
const blobsIn = async () => readdir(path.join(cacheDir, "blobs")).catch(() => [] as string[]);

beforeAll(async () => {
  reg = await startRegistryStandin([{ name: NAME, blob: BLOB }]);
});
afterAll(() => reg.stop());
beforeEach(async () => {
  reg.reset();
  cacheDir = await mkdtemp(path.join(tmpdir(), "medgpt-models-"));
});
afterEach(() => rm(cacheDir, { recursive: true, force: true }));

describe("pullModel", () => {
  it("downloads the model layer through the 307, verifies it and reports progress", async () => {
    const progress: number[] = [];
    const file = await pull({
      onProgress: (received, total) => (expect(total).toBe(BLOB.length), progress.push(received)),
    });
    expect(file).toBe(path.join(cacheDir, "blobs", `sha256-${sha256(BLOB)}`));
    expect(sha256(await readFile(file))).toBe(sha256(BLOB));
    if (hasShared) expect(sha256(BLOB)).toBe("81f226c62d28ed4a1a9b9fa080fcd9f0cc40e0f9d5680036583ff98fbcd035cb");
    expect(progress.at(-1)).toBe(BLOB.length);
    expect(reg.stats).toMatchObject({ manifestRequests: 1, blobRequests: 1, cdnRanges: [null] });
    expect(getPullState()).toMatchObject({
      model: NAME,
      status: "done",
      receivedBytes: BLOB.length,
      totalBytes: BLOB.length,
      path: file,
    });
    expect(await blobsIn()).toEqual([`sha256-${sha256(BLOB)}`]); // no .partial left
    const index = JSON.parse(
      await readFile(path.join(cacheDir, "manifests", "mrizwank97", "medgpt", "latest.json"), "utf8"),
    );
    expect(index).toMatchObject({ name: NAME, digest: `sha256:${sha256(BLOB)}`, size: BLOB.length });
  });

  it("a second pull uses the cache without network", async () => {
    const first = await pull();
    reg.reset();
    const failingFetch = (() => Promise.reject(new Error("network used"))) as typeof fetch;
    expect(await pull({ fetchImpl: failingFetch })).toBe(first);
    expect(await findPulledModel(NAME, cacheDir)).toBe(first);
    expect(reg.stats).toMatchObject({ manifestRequests: 0, blobRequests: 0 });
  });

  it("resumes an interrupted transfer with Range (through the redirect); total bytes served < 2× the file", async () => {
    const cut = Math.floor(BLOB.length * 0.6);
    reg.setFault({ kind: "cutAfter", bytes: cut }, { times: 1 });
    const err = await pull({ retries: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toMatch(/stopped after/);
    expect(getPullState()).toMatchObject({ status: "failed" });
    const partials = (await blobsIn()).filter((f) => f.endsWith(".partial"));
    expect(partials).toHaveLength(1);
    // How much arrived before the cut depends on the sockets (a reset can drop bytes in flight), not on us.
    const kept = (await stat(path.join(cacheDir, "blobs", partials[0]!))).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(cut);

    const file = await pull();
    expect(sha256(await readFile(file))).toBe(sha256(BLOB));
    expect(reg.stats.cdnRanges).toEqual([null, `bytes=${kept}-`]);
    expect(reg.stats.bytesServed).toBe(cut + BLOB.length - kept);
    expect(reg.stats.bytesServed).toBeLessThan(2 * BLOB.length);
  });

  it("retries an interrupted transfer by itself, resuming", async () => {
    reg.setFault({ kind: "cutAfter", bytes: 100_000 }, { times: 2 });
    const file = await pull({ retries: 3 });
    expect(sha256(await readFile(file))).toBe(sha256(BLOB));
    // Each retry asks for the rest from where the file ended (the exact offsets depend on the cut sockets).
    const [first, ...resumes] = reg.stats.cdnRanges;
    expect(first).toBeNull();
    expect(resumes).toHaveLength(2);
    const starts = resumes.map((r) => Number(/^bytes=(\d+)-$/.exec(r ?? "")?.[1]));
    expect(starts[0]).toBeGreaterThan(0);
    expect(starts[1]).toBeGreaterThan(starts[0]!);
  });

  it("starts over when the server ignores Range (200 instead of 206)", async () => {
    const blobs = path.join(cacheDir, "blobs");
    await mkdir(blobs, { recursive: true });
    await writeFile(path.join(blobs, `sha256-${sha256(BLOB)}.partial`), BLOB.subarray(0, 5000));
    reg.setFault({ kind: "ignoreRange" }, { times: 1 });
    const file = await pull();
    expect(sha256(await readFile(file))).toBe(sha256(BLOB));
    expect(reg.stats.cdnRanges).toEqual(["bytes=5000-"]);
  });

  it("digest mismatch: deletes the download and says so", async () => {
    reg.setFault({ kind: "wrongBytes" }, { times: 1 });
    const err = await pull().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toMatch(/does not match the registry.*deleted/);
    expect(await blobsIn()).toEqual([]);
    expect(await findPulledModel(NAME, cacheDir)).toBeNull();
    // The next pull (good bytes) works.
    expect(sha256(await readFile(await pull()))).toBe(sha256(BLOB));
  });

  it("a model missing from the registry → model_not_found", async () => {
    const err = await pullModel("mrizwank97/nope", { registryBaseUrl: reg.url, cacheDir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: "model_not_found" });
    expect((err as AppError).message).toMatch(/not found in the registry/);
    expect(getPullState()).toMatchObject({ model: "mrizwank97/nope:latest", status: "failed" });
  });

  it("registry unreachable → upstream_unavailable with the offline hint", async () => {
    const err = await pull({ registryBaseUrl: "http://127.0.0.1:9" }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "upstream_unavailable" });
    expect((err as AppError).fix).toMatch(/MEDGPT_GGUF=\/path\/model\.gguf.*Ollama/);
  });

  it("an invalid name → invalid_request, no network", async () => {
    await expect(pullModel("bad name", { registryBaseUrl: reg.url, cacheDir })).rejects.toMatchObject({
      code: "invalid_request",
    });
    expect(reg.stats.manifestRequests).toBe(0);
  });

  it("concurrent pulls of one model share a single download", async () => {
    const [a, b] = await Promise.all([pull(), pull()]);
    expect(a).toBe(b);
    expect(reg.stats.blobRequests).toBe(1);
    expect(existsSync(a)).toBe(true);
  });
});

describe("resolveEmbeddedModelPath / ensureEmbeddedModel", () => {
  it("prefers MEDGPT_GGUF as given, then the cache; ensure pulls only when needed", async () => {
    const { ensureEmbeddedModel, resolveEmbeddedModelPath } = await import("./resolve");
    const src = { modelName: NAME, modelsDir: cacheDir, registryUrl: reg.url };
    expect(await resolveEmbeddedModelPath({ ...src, gguf: "/models/x.gguf" })).toEqual({
      path: "/models/x.gguf",
      source: "MEDGPT_GGUF",
    });
    expect(await resolveEmbeddedModelPath(src)).toBeNull();
    const pulled = await ensureEmbeddedModel(src);
    expect(await resolveEmbeddedModelPath(src)).toEqual({ path: pulled, source: "cache" });
    expect(await ensureEmbeddedModel(src)).toBe(pulled);
    expect(reg.stats.manifestRequests).toBe(1);
  });
});
