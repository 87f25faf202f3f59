import { execFile, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");

type Instruction = { keyword: string; args: string };
type Stage = { name: string; from: string; instructions: Instruction[] };

/** Dockerfile → stages of instructions (continuation lines joined, comment lines dropped, as Docker does). */
function parseDockerfile(text: string): Stage[] {
  const logical: string[] = [];
  let current = "";
  for (const line of text.split("\n")) {
    if (/^\s*#/.test(line)) continue;
    if (line.endsWith("\\")) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    current += line;
    if (current.trim()) logical.push(current.trim());
    current = "";
  }
  const stages: Stage[] = [];
  for (const line of logical) {
    const [, keyword = "", args = ""] = /^(\S+)\s*([\s\S]*)$/.exec(line) ?? [];
    const upper = keyword.toUpperCase();
    if (upper === "FROM") {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args)!;
      stages.push({ name: (m[2] ?? String(stages.length)).toLowerCase(), from: m[1]!, instructions: [] });
    } else if (stages.length > 0) {
      stages.at(-1)!.instructions.push({ keyword: upper, args });
    }
  }
  return stages;
}

const stages = parseDockerfile(read("docker/Dockerfile"));
const stage = (name: string) => stages.find((s) => s.name === name)!;
const args = (s: Stage, keyword: string) => s.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);

describe("docker/Dockerfile", () => {
  it("is multi-stage: dependencies with build tools, build, and slim runtime as the default (last) target", () => {
    expect(stages.map((s) => s.name)).toEqual(["base", "deps", "build", "tools", "runtime"]);
    expect(read("docker/Dockerfile")).toMatch(/^ARG NODE_IMAGE=node:20-bookworm-slim$/m);
    expect(stage("base").from).toBe("${NODE_IMAGE}");
    expect(args(stage("deps"), "RUN").join("\n")).toMatch(/apt-get install .*python3 make g\+\+/);
    expect(args(stage("deps"), "RUN").join("\n")).toContain("npm ci");
    expect(args(stage("build"), "RUN").join("\n")).toContain("npm run build");
  });

  it("runtime: the standalone server, non-root, port 3000, SQLite on a volume, a healthcheck", () => {
    const runtime = stage("runtime");
    expect(stages.at(-1)).toBe(runtime);
    expect(args(runtime, "COPY")).toContain("--from=build /app/.next/standalone ./");
    expect(args(runtime, "CMD")).toEqual(['["node", "server.js"]']);
    const users = args(runtime, "USER");
    expect(users).toHaveLength(1);
    expect(users[0]).not.toMatch(/^(root|0)(:|$)/);
    expect(args(runtime, "EXPOSE")).toEqual(["3000"]);
    expect(args(runtime, "VOLUME")).toEqual(['["/app/data"]']);
    const env = args(runtime, "ENV").join(" ");
    for (const setting of [
      "HOSTNAME=0.0.0.0",
      "PORT=3000",
      "MEDGPT_DB_PATH=/app/data/medgpt.db",
      "NODE_ENV=production",
    ]) {
      expect(env).toContain(setting);
    }
    const [healthcheck] = args(runtime, "HEALTHCHECK");
    expect(healthcheck).toMatch(/CMD \["node", "\/app\/healthcheck\.mjs"\]$/);
    expect(args(runtime, "COPY")).toContain("docker/healthcheck.mjs /app/healthcheck.mjs");
  });

  it("tools: the eval CLI with full node_modules and the sources, non-root, same database path", () => {
    const tools = stage("tools");
    expect(args(tools, "COPY")).toEqual(["--from=deps /app/node_modules ./node_modules", ". ."]);
    expect(args(tools, "ENTRYPOINT")).toEqual(['["npm", "run", "--silent", "eval", "--"]']);
    expect(args(tools, "USER")).toEqual(["node"]);
    expect(args(tools, "ENV").join(" ")).toContain("MEDGPT_DB_PATH=/app/data/medgpt.db");
  });

  it("copies only files that exist and stages that are defined", () => {
    const names = stages.map((s) => s.name);
    for (const s of stages) {
      for (const copy of args(s, "COPY")) {
        const parts = copy.split(/\s+/).filter((p) => !p.startsWith("--chown"));
        const from = /^--from=(\S+)/.exec(parts[0]!)?.[1];
        if (from) {
          expect(names.indexOf(from), `${s.name}: COPY ${copy}`).toBeLessThan(names.indexOf(s.name));
          expect(names).toContain(from);
        } else {
          for (const src of parts.slice(0, -1))
            expect(existsSync(path.join(ROOT, src)), `${s.name}: COPY ${src}`).toBe(true);
        }
      }
    }
  });
});

describe(".dockerignore", () => {
  const patterns = read(".dockerignore")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));

  it("keeps host builds, secrets, data and model weights out of the build context", () => {
    for (const p of ["node_modules", ".next", ".env", ".env.*", "data", "*.gguf", ".git"])
      expect(patterns).toContain(p);
  });

  it("keeps what the Dockerfile needs", () => {
    for (const file of [
      "package.json",
      "package-lock.json",
      "docker/healthcheck.mjs",
      "docker/copy-externals.mjs",
      "eval/mirror",
      "next.config.mjs",
    ]) {
      expect(patterns).not.toContain(file);
      expect(patterns.some((p) => file === p || file.startsWith(`${p}/`))).toBe(false);
    }
  });
});

describe("docker/healthcheck.mjs", () => {
  let server: Server;
  let base = "";
  beforeAll(async () => {
    server = createServer((req, res) => {
      const send = (status: number, body: unknown) =>
        res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
      if (req.url === "/api/health") send(200, { status: "ok", fix: null });
      else if (req.url === "/degraded")
        send(200, { status: "degraded", fix: "Pull the default model: `ollama pull x`." });
      else if (req.url === "/down") send(503, { status: "unavailable", fix: "Start Ollama." });
      else if (req.url === "/broken") send(500, { error: { code: "internal" } });
      // /hang: never answers
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  const check = async (argv: string[], env: NodeJS.ProcessEnv = process.env) => {
    try {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [path.join(ROOT, "docker/healthcheck.mjs"), ...argv],
        { env },
      );
      return { code: 0, stdout };
    } catch (err) {
      const e = err as { code: number; stdout: string };
      return { code: e.code, stdout: e.stdout };
    }
  };

  it("passes on 200 and on 503 (the web server is serving either way), printing status and fix", async () => {
    expect(await check([`${base}/degraded`])).toEqual({
      code: 0,
      stdout: `${base}/degraded: HTTP 200, status degraded. fix: Pull the default model: \`ollama pull x\`.\n`,
    });
    expect(await check([`${base}/down`])).toEqual({
      code: 0,
      stdout: `${base}/down: HTTP 503, status unavailable. fix: Start Ollama.\n`,
    });
  });

  it("defaults to 127.0.0.1:$PORT/api/health", async () => {
    const port = new URL(base).port;
    expect(await check([], { ...process.env, PORT: port })).toEqual({
      code: 0,
      stdout: `http://127.0.0.1:${port}/api/health: HTTP 200, status ok.\n`,
    });
  });

  it("fails on other statuses, refused connections and silence", async () => {
    expect((await check([`${base}/broken`])).code).toBe(1);
    const refused = await check(["http://127.0.0.1:39999/api/health"]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain("ECONNREFUSED");
    expect(await check([`${base}/hang`, "300"])).toEqual({
      code: 1,
      stdout: `${base}/hang: no answer within 300 ms\n`,
    });
  });
});

describe("docker/copy-externals.mjs", () => {
  it("lists the whole closure of next.config.mjs' serverExternalPackages, native addon helpers included", () => {
    const r = spawnSync(
      process.execPath,
      [path.join(ROOT, "docker/copy-externals.mjs"), ROOT, path.join(ROOT, ".next/standalone"), "--list"],
      { encoding: "utf8" },
    );
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const names = new Set(
      r.stdout
        .trim()
        .split("\n")
        .map((line) => line.split("\t")[0]),
    );
    for (const name of ["better-sqlite3", "bindings", "file-uri-to-path", "node-llama-cpp", "weave"])
      expect(names).toContain(name);
    // node-llama-cpp's CPU binary for this machine is an optional dependency: present when installed.
    const cpu = `@node-llama-cpp/${process.platform}-${process.arch}`;
    if (existsSync(path.join(ROOT, "node_modules", cpu))) expect(names).toContain(cpu);
  });

  it("rejects bad usage", () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, "docker/copy-externals.mjs")], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("usage:");
  });
});
