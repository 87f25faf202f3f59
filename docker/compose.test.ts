import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");

// js-yaml comes with ESLint's config loader (a dev dependency's dependency) and has no types installed here.
type YamlType = object;
type JsYaml = {
  load(text: string, options?: { schema?: unknown }): unknown;
  Type: new (
    tag: string,
    options: { kind: "mapping" | "sequence" | "scalar"; construct?: (data: unknown) => unknown },
  ) => YamlType;
  DEFAULT_SCHEMA: { extend(types: YamlType[]): unknown };
};
const yaml = createRequire(import.meta.url)("js-yaml") as JsYaml;

/** Compose's `!override` / `!reset` merge tags, kept visible so the test can check where they are. */
class Tagged {
  constructor(
    readonly tag: string,
    readonly value: unknown,
  ) {}
}
const schema = yaml.DEFAULT_SCHEMA.extend(
  ["!override", "!reset"].flatMap((tag) =>
    (["mapping", "sequence", "scalar"] as const).map(
      (kind) => new yaml.Type(tag, { kind, construct: (data) => new Tagged(tag, data) }),
    ),
  ),
);

/** The file as compose sees it with an empty environment: `${VAR:-default}` → default, `$$` → `$`. */
function interpolateDefaults(text: string): string {
  const replaced = text.replace(/\$\{([A-Za-z0-9_]+):-([^}]*)\}/g, (_m, _name: string, fallback: string) => fallback);
  const code = replaced.replace(/^\s*#.*$/gm, "");
  expect(code, "every ${VAR} needs a :-default, so the files work without a .env").not.toMatch(/\$\{/);
  return replaced.replace(/\$\$/g, "$");
}

type Service = Record<string, unknown> & {
  image?: string;
  build?: { context: string; dockerfile: string; target: string };
  depends_on?: Record<string, { condition: string }> | Tagged;
  environment?: Record<string, string>;
  env_file?: unknown;
  volumes?: unknown[];
  ports?: string[];
  healthcheck?: { test: string[] };
  profiles?: string[];
  command?: string[];
  entrypoint?: string[];
  deploy?: { resources: { reservations: { devices: { driver: string; capabilities: string[] }[] } } };
};
type ComposeFile = { name?: string; services: Record<string, Service>; volumes?: Record<string, unknown> };

const loadCompose = (file: string) => yaml.load(interpolateDefaults(read(file)), { schema }) as ComposeFile;

const dockerfileStages = [...read("docker/Dockerfile").matchAll(/^FROM\s+\S+\s+AS\s+(\S+)/gim)].map((m) =>
  m[1]!.toLowerCase(),
);

describe("docker/compose.yml", () => {
  const compose = loadCompose("docker/compose.yml");
  const { ollama, web } = compose.services;
  const modelInit = compose.services["model-init"];

  it("has the services ollama, model-init, web and the on-demand eval", () => {
    expect(compose.name).toBe("medgpt");
    expect(Object.keys(compose.services).sort()).toEqual(["eval", "model-init", "ollama", "web"]);
    expect(compose.services.eval!.profiles).toEqual(["tools"]);
  });

  it("runs the official Ollama image with a models volume and a healthcheck that asks the server", () => {
    expect(ollama!.image).toMatch(/^ollama\/ollama:/);
    expect(ollama!.volumes).toContain("ollama-models:/root/.ollama");
    expect(ollama!.healthcheck!.test).toEqual(["CMD", "ollama", "list"]);
  });

  it("documents an NVIDIA GPU block, commented out", () => {
    const text = read("docker/compose.yml");
    expect(text).toMatch(/^\s*# deploy:$/m);
    expect(text).toMatch(/^\s*#\s+- driver: nvidia$/m);
    expect(ollama!.deploy).toBeUndefined();
  });

  it("pulls the configured models once Ollama is healthy, against the ollama service", () => {
    expect(modelInit!.image).toBe(ollama!.image);
    expect(modelInit!.depends_on).toEqual({ ollama: { condition: "service_healthy" } });
    expect(modelInit!.environment).toMatchObject({
      OLLAMA_HOST: "ollama:11434",
      MEDGPT_PULL_MODELS: "mrizwank97/medgpt gemma2:2b",
    });
    expect(modelInit!.restart).toBe("no");
  });

  it("starts web after a healthy Ollama, pointed at it, with the data volume, port 3000 and an optional .env", () => {
    expect(web!.depends_on).toEqual({
      ollama: { condition: "service_healthy" },
      "model-init": { condition: "service_started" },
    });
    expect(web!.environment).toMatchObject({
      OLLAMA_HOST: "http://ollama:11434",
      MEDGPT_DB_PATH: "/app/data/medgpt.db",
      HOSTNAME: "0.0.0.0",
      PORT: "3000",
    });
    expect(web!.volumes).toContain("medgpt-data:/app/data");
    expect(web!.ports).toEqual(["127.0.0.1:3000:3000"]);
    expect(web!.env_file).toEqual([{ path: "../.env", required: false }]);
  });

  it("builds web and eval from the repository with docker/Dockerfile's stages", () => {
    expect(web!.build).toEqual({ context: "..", dockerfile: "docker/Dockerfile", target: "runtime" });
    expect(compose.services.eval!.build).toEqual({ context: "..", dockerfile: "docker/Dockerfile", target: "tools" });
    expect(dockerfileStages).toEqual(expect.arrayContaining(["runtime", "tools"]));
    // The eval CLI shares the web app's database and model server.
    expect(compose.services.eval!.volumes).toEqual(web!.volumes);
    expect(compose.services.eval!.environment).toMatchObject({ OLLAMA_HOST: web!.environment!.OLLAMA_HOST });
  });

  it("declares every named volume it mounts", () => {
    const named = Object.values(compose.services)
      .flatMap((s) => s.volumes ?? [])
      .map((v) => String(v).split(":")[0]!)
      .filter((source) => !source.startsWith(".") && !source.startsWith("/"));
    expect(Object.keys(compose.volumes ?? {}).sort()).toEqual([...new Set(named)].sort());
  });
});

describe("model-init's pull script", () => {
  const script = loadCompose("docker/compose.yml").services["model-init"]!.command![0]!;
  const dir = mkdtempSync(path.join(tmpdir(), "medgpt-model-init-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // A stand-in `ollama` CLI: `show` succeeds for the models in $PRESENT; `pull` logs, and fails for $FAIL.
  const fake = path.join(dir, "ollama");
  writeFileSync(
    fake,
    '#!/bin/sh\ncase "$1" in\n  show) case " $PRESENT " in *" $2 "*) exit 0 ;; esac; exit 1 ;;\n  pull) [ "$2" = "$FAIL" ] && exit 1; echo "pull $2" >> "$LOG" ;;\nesac\n',
  );
  chmodSync(fake, 0o755);

  const run = (models: string, present: string, fail = "") => {
    const log = path.join(dir, `log-${Math.random()}`);
    writeFileSync(log, "");
    const r = spawnSync("/bin/sh", ["-c", script], {
      env: {
        NODE_ENV: "test",
        PATH: `${dir}:${process.env.PATH}`,
        MEDGPT_PULL_MODELS: models,
        PRESENT: present,
        FAIL: fail,
        LOG: log,
      },
      encoding: "utf8",
    });
    return { status: r.status, pulled: readFileSync(log, "utf8").trim().split("\n").filter(Boolean), stdout: r.stdout };
  };

  it("pulls only the models Ollama does not have, space- or comma-separated", () => {
    const r = run("mrizwank97/medgpt, gemma2:2b,llama3.2", "gemma2:2b");
    expect(r.status).toBe(0);
    expect(r.pulled).toEqual(["pull mrizwank97/medgpt", "pull llama3.2"]);
    expect(r.stdout).toContain("model-init: gemma2:2b is already present");
  });

  it("fails when a pull fails, so `./medgpt.sh up` can report it", () => {
    expect(run("a b", "", "a").status).not.toBe(0);
  });
});

describe("docker/compose.gpu.yml and docker/compose.vllm.yml", () => {
  it("gpu: reserves NVIDIA GPUs for ollama", () => {
    const gpu = loadCompose("docker/compose.gpu.yml");
    expect(Object.keys(gpu.services)).toEqual(["ollama"]);
    expect(gpu.services.ollama!.deploy!.resources.reservations.devices).toEqual([
      { driver: "nvidia", count: "all", capabilities: ["gpu"] },
    ]);
  });

  it("vllm: adds an OpenAI-compatible vLLM server and points web and eval at it instead of Ollama", () => {
    const vllm = loadCompose("docker/compose.vllm.yml");
    const server = vllm.services.vllm!;
    expect(server.image).toMatch(/^vllm\/vllm-openai:/);
    expect(server.command).toEqual(expect.arrayContaining(["--served-model-name=medgpt", "--port=8000"]));
    expect(server.healthcheck!.test.join(" ")).toContain("http://127.0.0.1:8000/health");
    for (const name of ["web", "eval"]) {
      const s = vllm.services[name]!;
      expect(s.environment).toMatchObject({
        MEDGPT_BACKEND: "openai",
        OPENAI_BASE_URL: "http://vllm:8000/v1",
        MEDGPT_MODEL: "medgpt",
      });
      // `!override` replaces the base file's depends_on (on ollama) instead of merging into it.
      expect(s.depends_on).toEqual(new Tagged("!override", { vllm: { condition: "service_healthy" } }));
    }
    expect(vllm.services.ollama!.profiles).toEqual(["ollama"]);
    expect(vllm.services["model-init"]!.profiles).toEqual(["ollama"]);
  });
});

// The real thing when Compose is installed (CI machines without Docker skip it).
const composeVersion = spawnSync("docker", ["compose", "version", "--short"], { encoding: "utf8" });
const hasCompose = composeVersion.status === 0;
if (!hasCompose)
  console.warn(
    "`docker compose` is not available; skipping `docker compose config` (the structure checks above still ran)",
  );

describe.skipIf(!hasCompose)("docker compose config", () => {
  it.each([
    [["docker/compose.yml"]],
    [["docker/compose.yml", "docker/compose.gpu.yml"]],
    [["docker/compose.yml", "docker/compose.vllm.yml"]],
  ])("accepts %j", (files) => {
    const args = ["compose", ...files.flatMap((f) => ["-f", f]), "config", "--quiet"];
    const r = spawnSync("docker", args, { cwd: ROOT, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
  });
});
