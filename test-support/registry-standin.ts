/**
 * Ollama registry stand-in: two node:http servers on 127.0.0.1. The "registry" serves manifests
 * (`GET /v2/{ns}/{model}/manifests/{tag}`) and answers blob requests with 307 to the "CDN", which serves the
 * bytes with Range support (206 + Content-Range), as registry.ollama.ai and its CDN do.
 *
 * Faults (setFault): cut the CDN transfer after N bytes (resume tests), serve wrong bytes of the right length
 * (digest mismatch), ignore Range (200 restart), or 404 every manifest. Unknown models are always 404.
 */
import { createHash } from "node:crypto";
import { FaultSwitch, StandinServer } from "./standin-core";

export type RegistryModel = { name: string; blob: Buffer };

export type RegistryFault =
  | { kind: "none" }
  /** The CDN sends headers, then N bytes of the body, then destroys the socket. */
  | { kind: "cutAfter"; bytes: number }
  /** Same length, different bytes (the digest will not match). */
  | { kind: "wrongBytes" }
  /** The CDN ignores Range and sends the whole blob with 200. */
  | { kind: "ignoreRange" }
  | { kind: "manifest404" };

export type RegistryStats = {
  manifestRequests: number;
  blobRequests: number;
  /** The Range header of each CDN request (null when absent). */
  cdnRanges: (string | null)[];
  /** Body bytes the CDN wrote. */
  bytesServed: number;
};

export type RegistryStandin = {
  /** http://127.0.0.1:PORT of the registry */
  url: string;
  cdnUrl: string;
  /** Applies to the next `times` matching requests (default: until changed). */
  setFault(fault: RegistryFault, opts?: { times?: number }): void;
  stats: RegistryStats;
  reset(): void;
  /** "sha256:<hex>" of a model's blob. */
  digestOf(name: string): string;
  stop(): Promise<void>;
};

const MANIFEST_TYPE = "application/vnd.docker.distribution.manifest.v2+json";

/** "mrizwank97/medgpt:latest" | "medgpt" → "mrizwank97/medgpt/latest" | "library/medgpt/latest" */
function keyOf(name: string): string {
  const [repo, tag = "latest"] = name.split(":") as [string, string?];
  const full = repo.includes("/") ? repo : `library/${repo}`;
  return `${full}/${tag}`;
}

const sha = (b: Buffer | string) => `sha256:${createHash("sha256").update(b).digest("hex")}`;

export async function startRegistryStandin(models: RegistryModel[]): Promise<RegistryStandin> {
  const byKey = new Map(models.map((m) => [keyOf(m.name), m]));
  const blobs = new Map(models.map((m) => [sha(m.blob).slice(7), m.blob]));
  const faults = new FaultSwitch<RegistryFault>({ kind: "none" });
  const stats: RegistryStats = { manifestRequests: 0, blobRequests: 0, cdnRanges: [], bytesServed: 0 };

  const cdn = await StandinServer.start((req, res) => {
    const hex = /^\/blobs\/sha256-([0-9a-f]{64})/.exec(req.url ?? "")?.[1];
    const blob = hex ? blobs.get(hex) : undefined;
    if (!blob) return void res.writeHead(404).end("no such blob");
    const range = req.headers.range ?? null;
    stats.cdnRanges.push(range);
    const f = faults.takeIf("cutAfter", "wrongBytes", "ignoreRange");
    let body = f?.kind === "wrongBytes" ? Buffer.from(blob.map((b) => b ^ 0xff)) : blob;
    const m = f?.kind === "ignoreRange" ? null : range && /^bytes=(\d+)-(\d*)$/.exec(range);
    if (m) {
      const start = Number(m[1]);
      const end = m[2] ? Math.min(Number(m[2]), blob.length - 1) : blob.length - 1;
      if (start >= blob.length) return void res.writeHead(416, { "Content-Range": `bytes */${blob.length}` }).end();
      res.writeHead(206, {
        "Content-Range": `bytes ${start}-${end}/${blob.length}`,
        "Content-Length": end - start + 1,
      });
      body = body.subarray(start, end + 1);
    } else {
      res.writeHead(200, { "Content-Length": body.length, "Content-Type": "application/octet-stream" });
    }
    if (f?.kind === "cutAfter") {
      const part = body.subarray(0, f.bytes);
      stats.bytesServed += part.length;
      res.write(part, () => setTimeout(() => req.socket.destroy(), 20));
      return;
    }
    stats.bytesServed += body.length;
    res.end(body);
  });
  const cdnUrl = cdn.url;

  const registry = await StandinServer.start((req, res) => {
    const url = req.url ?? "";
    const manifest = /^\/v2\/([^/]+)\/([^/]+)\/manifests\/([^/]+)$/.exec(url);
    if (manifest && req.method === "GET") {
      stats.manifestRequests++;
      const model = byKey.get(`${manifest[1]}/${manifest[2]}/${manifest[3]}`);
      if (!model || faults.takeIf("manifest404")) {
        res.writeHead(404, { "Content-Type": "application/json" });
        return void res.end(JSON.stringify({ errors: [{ code: "MANIFEST_UNKNOWN", message: "manifest unknown" }] }));
      }
      const config = Buffer.from('{"model_format":"gguf"}');
      const params = Buffer.from('{"stop":["<end_of_turn>"]}');
      res.writeHead(200, { "Content-Type": MANIFEST_TYPE });
      return void res.end(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MANIFEST_TYPE,
          config: {
            mediaType: "application/vnd.docker.container.image.v1+json",
            digest: sha(config),
            size: config.length,
          },
          layers: [
            { mediaType: "application/vnd.ollama.image.model", digest: sha(model.blob), size: model.blob.length },
            { mediaType: "application/vnd.ollama.image.params", digest: sha(params), size: params.length },
          ],
        }),
      );
    }
    const blob = /^\/v2\/[^/]+\/[^/]+\/blobs\/sha256:([0-9a-f]{64})$/.exec(url);
    if (blob && req.method === "GET") {
      stats.blobRequests++;
      if (!blobs.has(blob[1]!)) return void res.writeHead(404).end();
      res.writeHead(307, { Location: `${cdnUrl}/blobs/sha256-${blob[1]}?sig=standin` });
      return void res.end();
    }
    res.writeHead(404).end();
  });

  return {
    url: registry.url,
    cdnUrl,
    stats,
    setFault(f, opts) {
      faults.set(f, opts?.times);
    },
    reset() {
      faults.reset();
      Object.assign(stats, { manifestRequests: 0, blobRequests: 0, cdnRanges: [], bytesServed: 0 });
    },
    digestOf(name) {
      const m = byKey.get(keyOf(name));
      if (!m) throw new Error(`unknown model ${name}`);
      return sha(m.blob);
    },
    async stop() {
      await Promise.all([cdn.stop(), registry.stop()]);
    },
  };
}
