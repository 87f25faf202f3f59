import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startRegistryStandin, type RegistryStandin } from "./registry-standin";

const BLOB = randomBytes(10_000);
let reg: RegistryStandin;
beforeAll(async () => {
  reg = await startRegistryStandin([{ name: "mrizwank97/medgpt:latest", blob: BLOB }]);
});
afterAll(() => reg.stop());
beforeEach(() => reg.reset());

const manifest = (path: string) =>
  fetch(`${reg.url}/v2/${path}`, { headers: { Accept: "application/vnd.docker.distribution.manifest.v2+json" } });

describe("registry stand-in", () => {
  it("serves a manifest whose model layer names the blob", async () => {
    const res = await manifest("mrizwank97/medgpt/manifests/latest");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { layers: { mediaType: string; digest: string; size: number }[] };
    expect(body.layers[0]).toEqual({
      mediaType: "application/vnd.ollama.image.model",
      digest: reg.digestOf("mrizwank97/medgpt"),
      size: BLOB.length,
    });
    expect(reg.stats.manifestRequests).toBe(1);
  });

  it("404s unknown models and, as a fault, known ones", async () => {
    expect((await manifest("mrizwank97/nope/manifests/latest")).status).toBe(404);
    reg.setFault({ kind: "manifest404" }, { times: 1 });
    expect((await manifest("mrizwank97/medgpt/manifests/latest")).status).toBe(404);
    expect((await manifest("mrizwank97/medgpt/manifests/latest")).status).toBe(200);
  });

  it("redirects blobs (307) to the CDN, which honours Range", async () => {
    const blobUrl = `${reg.url}/v2/mrizwank97/medgpt/blobs/${reg.digestOf("mrizwank97/medgpt")}`;
    const hop = await fetch(blobUrl, { redirect: "manual" });
    expect(hop.status).toBe(307);
    expect(hop.headers.get("location")).toMatch(new RegExp(`^${reg.cdnUrl}/blobs/sha256-`));
    const full = await fetch(blobUrl);
    expect(Buffer.from(await full.arrayBuffer()).equals(BLOB)).toBe(true);
    const part = await fetch(hop.headers.get("location")!, { headers: { Range: "bytes=9000-" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 9000-9999/10000`);
    expect(Buffer.from(await part.arrayBuffer()).equals(BLOB.subarray(9000))).toBe(true);
    expect(reg.stats.cdnRanges).toEqual([null, "bytes=9000-"]);
  });

  it("cuts a transfer after N bytes", async () => {
    reg.setFault({ kind: "cutAfter", bytes: 1000 }, { times: 1 });
    const res = await fetch(`${reg.cdnUrl}/blobs/sha256-${reg.digestOf("mrizwank97/medgpt").slice(7)}`);
    await expect(res.arrayBuffer()).rejects.toThrow();
    expect(reg.stats.bytesServed).toBe(1000);
  });
});
