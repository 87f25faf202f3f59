#!/usr/bin/env bash
# MedGPT in Docker: the web app, Ollama and a one-shot model pull (docker/compose.yml). Run ./medgpt.sh help.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CALLER_DIR=$PWD
cd "$ROOT"

MIN_COMPOSE=2.24

usage() {
  cat <<'EOF'
Usage: ./medgpt.sh COMMAND [ARGS]

  up [ARGS]          build and start web, ollama and the model pull (compose up -d --build), wait until the
                     web server is healthy, then print its URL and /api/health's verdict
  down [ARGS]        stop and remove the containers; volumes (models, database) stay. `down -v` deletes them too
  logs [SERVICE...]  follow the logs (all services, or web / ollama / model-init / eval)
  ps                 list the containers and their health
  eval [ARGS]        run the eval CLI (`npm run eval -- ARGS`) in the tools image, next to the running stack;
                     the current directory is mounted at /host (give files as /host/…)
  test [--docker]    run `npm test` here (needs Node 20.19+ and `npm ci`); --docker runs it instead in a
                     throwaway node:20-bookworm container on a copy of the repository, like CI (.ci/run)
  help               this text

Settings come from .env in the repository root (optional): passed to the containers, and used by compose for
MEDGPT_PORT (3000), MEDGPT_BIND (127.0.0.1), MEDGPT_PULL_MODELS ("mrizwank97/medgpt gemma2:2b").
Environment of this script:
  MEDGPT_GPU=1        add docker/compose.gpu.yml (NVIDIA GPU for Ollama)
  MEDGPT_VLLM=1       add docker/compose.vllm.yml (vLLM instead of Ollama)
  COMPOSE_FILE=…      use these compose files instead (then MEDGPT_GPU/MEDGPT_VLLM are ignored)
  MEDGPT_UP_TIMEOUT   seconds `up` waits for the web server to be healthy (default 300)
Needs Docker with Compose v2.24+ (`docker compose` or a v2 `docker-compose`).
EOF
}

die() {
  printf 'medgpt.sh: %s\n' "$*" >&2
  exit 1
}

COMPOSE=()
COMPOSE_ARGS=()

# Finds Compose (plugin first, then a standalone v2 binary), checks its version and the daemon, and sets the
# compose files. Every failure names what to install or start.
setup_compose() {
  if command -v docker >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then
    COMPOSE=(docker compose)
  elif command -v docker-compose >/dev/null 2>&1; then
    COMPOSE=(docker-compose)
  elif command -v docker >/dev/null 2>&1; then
    die "Docker is installed but Docker Compose is not. Install the Compose plugin (v$MIN_COMPOSE+): https://docs.docker.com/compose/install/"
  else
    die "Docker is not installed (no \`docker\` on PATH). Install Docker Engine or Docker Desktop, with Compose v$MIN_COMPOSE+: https://docs.docker.com/get-docker/"
  fi

  local version major minor
  version=$("${COMPOSE[@]}" version --short 2>/dev/null || true)
  version=${version#v}
  IFS=. read -r major minor _ <<<"$version"
  if ! [[ ${major:-} =~ ^[0-9]+$ && ${minor:-} =~ ^[0-9]+$ ]]; then
    die "could not read the Compose version from \`${COMPOSE[*]} version --short\` (got \"$version\")"
  fi
  if ((major < 2 || (major == 2 && minor < ${MIN_COMPOSE#*.}))); then
    die "${COMPOSE[*]} $version is too old: docker/compose.yml needs Compose v$MIN_COMPOSE+ (https://docs.docker.com/compose/install/)"
  fi

  if command -v docker >/dev/null 2>&1 && ! docker info >/dev/null 2>&1; then
    die "cannot reach the Docker daemon. Start Docker (Docker Desktop, or \`sudo systemctl start docker\`), and check that your user may use it (\`docker info\`)."
  fi

  if [[ -z ${COMPOSE_FILE:-} ]]; then
    COMPOSE_ARGS=(-f docker/compose.yml)
    if [[ ${MEDGPT_GPU:-0} == 1 ]]; then COMPOSE_ARGS+=(-f docker/compose.gpu.yml); fi
    if [[ ${MEDGPT_VLLM:-0} == 1 ]]; then COMPOSE_ARGS+=(-f docker/compose.vllm.yml); fi
  fi
  if [[ -f .env ]]; then COMPOSE_ARGS+=(--env-file .env); fi
}

# `${a[@]+"${a[@]}"}`: an empty array is an unbound variable under `set -u` in bash 3.2 (macOS).
compose() {
  "${COMPOSE[@]}" ${COMPOSE_ARGS[@]+"${COMPOSE_ARGS[@]}"} "$@"
}

# Health of a container, or its state when it has no healthcheck (running, exited, …).
container_state() {
  docker inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$1"
}

wait_for_web() {
  local timeout=${MEDGPT_UP_TIMEOUT:-300} waited=0 id restarts state
  id=$(compose ps -q web)
  [[ -n $id ]] || die "the web container did not start; see ./medgpt.sh logs web"
  printf 'Waiting for the web server to be healthy (up to %ss)' "$timeout"
  while :; do
    restarts=0 state=""
    read -r restarts state < <(docker inspect --format '{{.RestartCount}} {{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$id" || true) || true
    [[ -n $state ]] || die "the web container is gone; see ./medgpt.sh logs web"
    case $state in
      healthy | running) # running: no healthcheck (an image of your own), so started is all we can know
        printf ' %s.\n' "$state"
        return 0
        ;;
      unhealthy | exited | dead)
        printf ' %s.\n' "$state"
        docker inspect --format '{{range .State.Health.Log}}{{.Output}}{{end}}' "$id" 2>/dev/null | tail -n 3 >&2 || true
        die "the web container is $state; see ./medgpt.sh logs web"
        ;;
    esac
    # The server exits at start on a bad setting (naming the variable); restart: unless-stopped retries forever.
    if ((restarts > 0)); then
      printf ' restarting.\n'
      compose logs --no-log-prefix --tail=15 web >&2 || true
      die "the web server keeps exiting ($restarts restarts; its log is above); fix .env and run ./medgpt.sh up again"
    fi
    if ((waited >= timeout)); then
      printf '\n'
      die "the web server is not healthy after ${timeout}s (state: $state); see ./medgpt.sh logs web"
    fi
    printf '.'
    sleep 2
    waited=$((waited + 2))
  done
}

report_models() {
  local id state code
  id=$(compose ps -a -q model-init 2>/dev/null || true)
  [[ -n $id ]] || return 0
  state=$(container_state "$id")
  if [[ $state == running ]]; then
    echo "Models are still being pulled; until then /api/health says \"degraded\". Follow: ./medgpt.sh logs model-init"
  elif [[ $state == exited ]]; then
    code=$(docker inspect --format '{{.State.ExitCode}}' "$id")
    if [[ $code != 0 ]]; then
      echo "medgpt.sh: the model pull failed (exit $code); see ./medgpt.sh logs model-init" >&2
    fi
  fi
}

cmd_up() {
  setup_compose
  compose up -d --build --remove-orphans "$@"
  wait_for_web
  compose exec -T web node /app/healthcheck.mjs || true
  report_models
  local published url
  published=$(compose port web 3000 2>/dev/null | tail -n 1)
  url="http://${published:-localhost:3000}"
  url=${url/0.0.0.0/localhost}
  url=${url/\[::\]/localhost}
  echo "MedGPT is up: $url"
}

cmd_eval() {
  setup_compose
  local run_args=(--rm --build)
  # The caller's directory, for dataset files and reports (not the whole disk).
  if [[ $CALLER_DIR != / ]]; then run_args+=(-v "$CALLER_DIR:/host"); fi
  if [[ ! -t 0 || ! -t 1 ]]; then run_args+=(-T); fi
  compose --profile tools run "${run_args[@]}" eval "$@"
}

cmd_test() {
  if [[ ${1:-} == --docker ]]; then
    test_in_docker
    return
  fi
  command -v npm >/dev/null 2>&1 || die "npm not found: install Node.js 20.19+, or run ./medgpt.sh test --docker"
  [[ -d node_modules ]] || die "node_modules is missing: run \`npm ci\` first (or ./medgpt.sh test --docker)"
  npm test
}

# CI's own entry point (.ci/run: installs Chromium and shellcheck, npm ci, npm test) on a copy of the tree, so
# the host's node_modules and .next are neither used nor touched. ../shared, when present, is mounted beside it.
test_in_docker() {
  command -v docker >/dev/null 2>&1 || die "Docker is not installed (no \`docker\` on PATH): https://docs.docker.com/get-docker/"
  docker info >/dev/null 2>&1 || die "cannot reach the Docker daemon; start Docker and check \`docker info\`"
  local args=(--rm --init -v "$ROOT:/src:ro")
  if [[ -d $ROOT/../shared ]]; then args+=(-v "$(cd "$ROOT/../shared" && pwd):/work/shared:ro"); fi
  if [[ -t 0 && -t 1 ]]; then args+=(-t); fi
  docker run "${args[@]}" "${MEDGPT_TEST_IMAGE:-node:20-bookworm}" bash -c '
    set -euo pipefail
    mkdir -p /work/main
    tar -C /src --exclude=./node_modules --exclude=./.next --exclude=./.git --exclude=./data -cf - . | tar -C /work/main -xf -
    cd /work/main
    bash .ci/run'
}

main() {
  local cmd=${1:-help}
  if (($# > 0)); then shift; fi
  case $cmd in
    up) cmd_up "$@" ;;
    down)
      setup_compose
      compose down --remove-orphans "$@"
      ;;
    logs)
      setup_compose
      compose logs --follow --tail=200 "$@"
      ;;
    ps)
      setup_compose
      compose ps "$@"
      ;;
    eval) cmd_eval "$@" ;;
    test) cmd_test "$@" ;;
    help | -h | --help) usage ;;
    *)
      usage >&2
      die "unknown command: $cmd"
      ;;
  esac
}

main "$@"
