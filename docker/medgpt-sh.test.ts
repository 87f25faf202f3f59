import { spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeEach, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SCRIPT = path.join(ROOT, "medgpt.sh");

const hasShellcheck = spawnSync("shellcheck", ["--version"]).status === 0;
if (!hasShellcheck)
  console.warn("shellcheck is not installed (apt-get install shellcheck); skipping the medgpt.sh lint");

describe.skipIf(!hasShellcheck)("medgpt.sh lint", () => {
  it("passes shellcheck", () => {
    const r = spawnSync("shellcheck", [SCRIPT], { encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});

/**
 * A stand-in `docker` (and `docker-compose`) that logs its arguments and answers the few queries medgpt.sh makes;
 * FAKE_* variables choose the situation (no Compose, old Compose, daemon down, web unhealthy, failed pull).
 */
const FAKE_DOCKER = String.raw`#!/bin/bash
if [ "$(basename "$0")" = docker-compose ]; then set -- compose "$@"; fi
printf '%s\n' "$*" >> "$FAKE_LOG"
all=" $* "
if [ "$1" = compose ]; then
  if [ "$(basename "$0")" = docker ] && [ "\${FAKE_COMPOSE:-plugin}" = none ]; then
    echo "docker: 'compose' is not a docker command." >&2
    exit 1
  fi
  case $all in
    *" version --short "*) echo "\${FAKE_COMPOSE_VERSION:-2.27.0}" ;;
    *" ps -q web "*) echo webid ;;
    *" ps -a -q model-init "*) echo initid ;;
    *" port web 3000 "*) echo "\${FAKE_PORT:-127.0.0.1:3000}" ;;
    *" exec -T web node /app/healthcheck.mjs "*) echo "http://127.0.0.1:3000/api/health: HTTP 200, status ok." ;;
    *" logs --no-log-prefix --tail=15 web "*) echo "[medgpt] Invalid configuration: ADMIN_TOKEN" ;;
  esac
  exit 0
fi
case $1 in
  info) [ "\${FAKE_DAEMON:-up}" = up ] ;;
  inspect)
    case $all in
      *ExitCode*) echo "\${FAKE_INIT_EXIT:-0}" ;;
      *Health.Log*) echo "last health check output" ;;
      *" initid "*) echo "\${FAKE_INIT_STATE:-exited}" ;;
      *)
        n=$(cat "$FAKE_COUNTER" 2>/dev/null || echo 0)
        echo $((n + 1)) > "$FAKE_COUNTER"
        read -r -a states <<< "\${FAKE_WEB_STATES:-healthy}"
        i=$((n < \${#states[@]} ? n : \${#states[@]} - 1))
        echo "\${FAKE_RESTARTS:-0} \${states[$i]}"
        ;;
    esac
    ;;
esac
`.replaceAll("\\${", "${"); // String.raw keeps the backslash that stops JavaScript interpolating ${…}

const dir = mkdtempSync(path.join(tmpdir(), "medgpt-sh-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// A copy of the script in its own "repository", so .env files made here never touch the real one.
const repo = path.join(dir, "repo");
const bin = path.join(dir, "bin");
const bareBin = path.join(dir, "bare-bin"); // no docker at all
for (const d of [repo, bin, bareBin]) mkdirSync(d);
copyFileSync(SCRIPT, path.join(repo, "medgpt.sh"));
for (const name of ["docker", "docker-compose"]) {
  writeFileSync(path.join(bin, name), FAKE_DOCKER);
  chmodSync(path.join(bin, name), 0o755);
}
writeFileSync(path.join(bin, "sleep"), "#!/bin/sh\nexit 0\n"); // the health wait polls; no need to really wait
chmodSync(path.join(bin, "sleep"), 0o755);
for (const tool of ["dirname", "tail", "basename", "cat"]) {
  const found = spawnSync("/bin/sh", ["-c", `command -v ${tool}`], { encoding: "utf8" }).stdout.trim();
  symlinkSync(found, path.join(bareBin, tool));
}
const log = path.join(dir, "docker.log");
const counter = path.join(dir, "counter");

function run(
  args: string[],
  options: { env?: Record<string, string>; withDocker?: boolean; withPlugin?: boolean; cwd?: string } = {},
) {
  const { withDocker = true, withPlugin = true } = options;
  let pathVar = `${bin}:${bareBin}`;
  if (!withDocker) pathVar = bareBin;
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: "test",
    PATH: pathVar,
    HOME: dir,
    FAKE_LOG: log,
    FAKE_COUNTER: counter,
    ...(withPlugin ? {} : { FAKE_COMPOSE: "none" }),
    ...options.env,
  };
  const r = spawnSync("/bin/bash", [path.join(repo, "medgpt.sh"), ...args], {
    cwd: options.cwd ?? repo,
    env,
    encoding: "utf8",
  });
  const calls = readFileSync(log, "utf8").trim().split("\n").filter(Boolean);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, calls };
}

beforeEach(() => {
  writeFileSync(log, "");
  rmSync(counter, { force: true });
  rmSync(path.join(repo, ".env"), { force: true });
});

describe("medgpt.sh", () => {
  it("prints help for help, no command, and (on stderr, failing) an unknown command", () => {
    for (const args of [["help"], [], ["--help"]]) {
      const r = run(args, { withDocker: false });
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^ {2}up \[ARGS\]/m);
      for (const cmd of ["down", "logs", "eval", "test", "help"])
        expect(r.stdout).toMatch(new RegExp(`^  ${cmd}\\b`, "m"));
    }
    const bad = run(["deploy"], { withDocker: false });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("unknown command: deploy");
  });

  it("says clearly when Docker, Compose or the daemon is missing, or Compose is too old", () => {
    expect(run(["up"], { withDocker: false }).stderr).toMatch(/Docker is not installed .*get-docker/);
    // No plugin and no docker-compose binary: hide the fake docker-compose by calling with only docker.
    rmSync(path.join(bin, "docker-compose"));
    try {
      expect(run(["up"], { withPlugin: false }).stderr).toMatch(/Docker is installed but Docker Compose is not/);
    } finally {
      writeFileSync(path.join(bin, "docker-compose"), FAKE_DOCKER);
      chmodSync(path.join(bin, "docker-compose"), 0o755);
    }
    const old = run(["up"], { withPlugin: false, env: { FAKE_COMPOSE_VERSION: "1.29.2" } });
    expect(old.status).toBe(1);
    expect(old.stderr).toContain("docker-compose 1.29.2 is too old: docker/compose.yml needs Compose v2.24+");
    expect(run(["ps"], { env: { FAKE_COMPOSE_VERSION: "v2.23.3" } }).stderr).toContain("2.23.3 is too old");
    const down = run(["up"], { env: { FAKE_DAEMON: "down" } });
    expect(down.status).toBe(1);
    expect(down.stderr).toContain("cannot reach the Docker daemon");
    expect(down.calls.some((c) => c.includes(" up "))).toBe(false);
  });

  it("up: builds and starts the stack, waits for web to be healthy, prints the URL", () => {
    const r = run(["up"], { env: { FAKE_WEB_STATES: "starting starting healthy", FAKE_PORT: "0.0.0.0:3000" } });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.calls).toContain("compose -f docker/compose.yml up -d --build --remove-orphans");
    expect(r.calls.filter((c) => c.startsWith("inspect") && c.endsWith("webid"))).toHaveLength(3);
    expect(r.stdout).toContain("HTTP 200, status ok.");
    expect(r.stdout).toMatch(/MedGPT is up: http:\/\/localhost:3000\n$/);
  });

  it("up: fails with the health log when web turns unhealthy, with its log when it keeps exiting, and reports the model pull", () => {
    const bad = run(["up"], { env: { FAKE_WEB_STATES: "starting unhealthy" } });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("last health check output");
    expect(bad.stderr).toContain("the web container is unhealthy; see ./medgpt.sh logs web");

    const crashing = run(["up"], { env: { FAKE_WEB_STATES: "starting", FAKE_RESTARTS: "2" } });
    expect(crashing.status).toBe(1);
    expect(crashing.stderr).toContain("[medgpt] Invalid configuration: ADMIN_TOKEN");
    expect(crashing.stderr).toContain("the web server keeps exiting (2 restarts");

    const failedPull = run(["up"], { env: { FAKE_INIT_EXIT: "1" } });
    expect(failedPull.status).toBe(0);
    expect(failedPull.stderr).toContain("the model pull failed (exit 1); see ./medgpt.sh logs model-init");
    expect(run(["up"], { env: { FAKE_INIT_STATE: "running" } }).stdout).toContain("Models are still being pulled");
  });

  it("adds the GPU and vLLM overrides and the repository's .env; COMPOSE_FILE replaces the -f list", () => {
    writeFileSync(path.join(repo, ".env"), "MEDGPT_PORT=8080\n");
    const r = run(["down", "-v"], { env: { MEDGPT_GPU: "1", MEDGPT_VLLM: "1" } });
    expect(r.calls).toContain(
      "compose -f docker/compose.yml -f docker/compose.gpu.yml -f docker/compose.vllm.yml --env-file .env down --remove-orphans -v",
    );
    rmSync(path.join(repo, ".env"));
    expect(run(["logs", "web"], { env: { COMPOSE_FILE: "a.yml:b.yml" } }).calls).toContain(
      "compose logs --follow --tail=200 web",
    );
  });

  it("falls back to a v2 docker-compose binary", () => {
    const r = run(["ps"], { withPlugin: false, env: { FAKE_COMPOSE_VERSION: "2.29.1" } });
    expect(r.status).toBe(0);
    expect(r.calls.at(-1)).toBe("compose -f docker/compose.yml ps");
  });

  it("eval: runs the CLI in the tools service with the arguments untouched and the caller's directory at /host", () => {
    const cwd = path.join(dir, "my data");
    mkdirSync(cwd, { recursive: true });
    const r = run(["eval", "run", "--dataset", "/host/cases file.jsonl", "--limit", "3"], { cwd });
    expect(r.status).toBe(0);
    // Not a terminal here, so -T.
    expect(r.calls.at(-1)).toBe(
      `compose -f docker/compose.yml --profile tools run --rm --build -v ${cwd}:/host -T eval run --dataset /host/cases file.jsonl --limit 3`,
    );
  });

  it("test: runs npm test locally and says what to do without Node or node_modules", () => {
    const r = run(["test"], { withDocker: false });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/npm not found: install Node.js 20.19\+, or run .\/medgpt.sh test --docker/);
  });
});
