/**
 * What MedGPT adds to a stream: the same generation read straight from the Ollama stand-in and through
 * POST /api/ask on the production build, side by side in one run, alternating order.
 * - time to first token: median of 40 sequential requests each;
 * - wall time of N concurrent streams (64, 200), direct ÷ through the app, every stream read to its end.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { hasBuild, startAppServer } from "./app-server";
import { median } from "./stats";

const PORT = 3396;
const STANDIN_PORT = 11596;
const CASE = {
  case: "A 30-year-old woman has a dry cough and bilateral hilar lymphadenopathy. Which is the most likely diagnosis?",
  options: { A: "Asthma", B: "Sarcoidosis", C: "Tuberculosis", D: "Lymphoma" },
};

/**
 * The stand-in in a process of its own, as a real Ollama is: read in-process, "direct" would skip the hop between
 * processes that every request through the app pays twice, and the comparison would charge it to the app.
 */
async function startStandinProcess(port: number, tokenDelayMs: number) {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "test-support/ollama-standin-cli.ts",
      "--port",
      String(port),
      "--token-delay",
      String(tokenDelayMs),
      "--recordings",
      "none",
    ],
    { stdio: "ignore" },
  );
  const url = `http://127.0.0.1:${port}`;
  const pid = child.pid;
  for (let i = 0; i < 100; i++) {
    if (
      await fetch(`${url}/api/version`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    pid,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

export type StreamBench =
  | { skipped: string }
  | {
      tokenDelayMs: number;
      tokensPerStream: number;
      ttft: { directMs: number; appMs: number; addedMs: number };
      floor: { appMs: number; directMs: number };
      concurrency: {
        streams: number;
        directMs: number;
        appMs: number;
        ratio: number;
        complete: boolean;
        /** CPU milliseconds per run of N streams, per process: where the two cores' time goes on each side. */
        cpu: Record<"direct" | "app", CpuSplit> | null;
      }[];
    };

export type CpuSplit = { clientMs: number; standinMs: number; appMs: number };

/** CPU time (user + system) a process has used so far, from /proc; null where there is no /proc (not Linux). */
function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    // Fields after the command name: utime and stime are the 12th and 13th, in clock ticks (USER_HZ, 100 a second).
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

type Reader = { firstTokenMs: number; tokens: number; complete: boolean };

/** Reads a response body to its end; `isToken` finds a token in the text of one chunk, `isEnd` the last event. */
async function readAll(res: Response, started: number, isToken: RegExp, isEnd: RegExp): Promise<Reader> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let firstTokenMs = -1;
  let tokens = 0;
  let tail = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    const text = tail + decoder.decode(value, { stream: true });
    const found = text.match(isToken)?.length ?? 0;
    if (found > 0 && firstTokenMs < 0) firstTokenMs = performance.now() - started;
    tokens += found;
    tail = text.slice(-64);
    if (isEnd.test(tail)) tail = "";
  }
  return { firstTokenMs, tokens, complete: isEnd.test(tail) || tokens > 0 };
}

export async function benchStreamOverhead(opts = { tokenDelayMs: 2, sequential: 40, levels: [64, 200], reps: 3 }) {
  if (!hasBuild()) return { skipped: "run `npm run build` first (needs the standalone server)" } satisfies StreamBench;
  const tmp = mkdtempSync(path.join(os.tmpdir(), "medgpt-bench-stream-"));
  const ollama = await startStandinProcess(STANDIN_PORT, opts.tokenDelayMs);
  const app = await startAppServer(PORT, {
    OLLAMA_HOST: ollama.url,
    MEDGPT_BACKEND: "ollama",
    MEDGPT_DB_PATH: path.join(tmp, "bench.db"),
    MEDGPT_ASK_RATE_LIMIT: "0",
    MEDGPT_ASK_MAX_CONCURRENT: "512",
  });
  // The request the app itself sends upstream, so that both sides stream the same tokens with the same fields.
  let upstreamBody: unknown = null;
  const direct = async (): Promise<Reader> => {
    const started = performance.now();
    const res = await fetch(`${ollama.url}/api/generate`, { method: "POST", body: JSON.stringify(upstreamBody) });
    return readAll(res, started, /"response":"[^"]/g, /"done":true/);
  };
  const viaApp = async (): Promise<Reader> => {
    const started = performance.now();
    const res = await fetch(`${app.url}/api/ask`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify(CASE),
    });
    return readAll(res, started, /^event: token$/gm, /event: done\n/);
  };
  try {
    const first = await viaApp();
    const seen = (await (await fetch(`${ollama.url}/__control/requests`)).json()) as { path: string; body: unknown }[];
    upstreamBody = seen.find((r) => r.path === "/api/generate")?.body;
    if (!upstreamBody) throw new Error("the app sent no generate request");
    // Warm-up: connection pools, and V8's optimisation of the request path, which in the app's server takes a few
    // dozen requests (the first ones after a start are several milliseconds slower, a cost paid once per process).
    for (let i = 0; i < 30; i++) {
      await direct();
      await viaApp();
    }
    for (let i = 0; i < 5; i++) await Promise.all([direct(), viaApp()]);

    const ttftDirect: number[] = [];
    const ttftApp: number[] = [];
    for (let i = 0; i < opts.sequential; i++) {
      if (i % 2 === 0) {
        ttftDirect.push((await direct()).firstTokenMs);
        ttftApp.push((await viaApp()).firstTokenMs);
      } else {
        ttftApp.push((await viaApp()).firstTokenMs);
        ttftDirect.push((await direct()).firstTokenMs);
      }
    }

    // The floor: what the framework costs a request that does nothing (a constant JSON answer), against the same for
    // the stand-in. Added time to first token cannot go below this difference.
    const floorApp: number[] = [];
    const floorDirect: number[] = [];
    for (let i = 0; i < 30; i++) {
      await fetch(`${app.url}/api/judges`).then((r) => r.text());
      await fetch(`${ollama.url}/api/version`).then((r) => r.text());
    }
    for (let i = 0; i < opts.sequential; i++) {
      let t = performance.now();
      await fetch(`${app.url}/api/judges`).then((r) => r.text());
      floorApp.push(performance.now() - t);
      t = performance.now();
      await fetch(`${ollama.url}/api/version`).then((r) => r.text());
      floorDirect.push(performance.now() - t);
    }

    const concurrency = [];
    for (const streams of opts.levels) {
      const wall = { direct: [] as number[], app: [] as number[] };
      const cpu = { direct: [] as CpuSplit[], app: [] as CpuSplit[] };
      let complete = true;
      const once = async (side: "direct" | "app") => {
        const before = {
          client: process.cpuUsage(),
          standin: processCpuMs(ollama.pid),
          app: processCpuMs(app.child.pid),
        };
        const t = performance.now();
        const all = await Promise.all(Array.from({ length: streams }, () => (side === "direct" ? direct() : viaApp())));
        wall[side].push(performance.now() - t);
        const client = process.cpuUsage(before.client);
        const standin = processCpuMs(ollama.pid);
        const appCpu = processCpuMs(app.child.pid);
        if (before.standin !== null && before.app !== null && standin !== null && appCpu !== null) {
          cpu[side].push({
            clientMs: (client.user + client.system) / 1000,
            standinMs: standin - before.standin,
            appMs: appCpu - before.app,
          });
        }
        complete &&= all.every((r) => r.complete && r.firstTokenMs >= 0);
      };
      for (let rep = 0; rep < opts.reps; rep++) {
        const order: ("direct" | "app")[] = rep % 2 === 0 ? ["direct", "app"] : ["app", "direct"];
        for (const side of order) await once(side);
      }
      const directMs = median(wall.direct);
      const appMs = median(wall.app);
      concurrency.push({
        streams,
        directMs: round(directMs),
        appMs: round(appMs),
        ratio: round2(directMs / appMs),
        complete,
        cpu:
          cpu.direct.length === opts.reps && cpu.app.length === opts.reps
            ? { direct: medianSplit(cpu.direct), app: medianSplit(cpu.app) }
            : null,
      });
    }
    const directMs = median(ttftDirect);
    const appMs = median(ttftApp);
    return {
      tokenDelayMs: opts.tokenDelayMs,
      tokensPerStream: first.tokens,
      ttft: { directMs: round2(directMs), appMs: round2(appMs), addedMs: round2(appMs - directMs) },
      floor: { appMs: round2(median(floorApp)), directMs: round2(median(floorDirect)) },
      concurrency,
    } satisfies StreamBench;
  } finally {
    await app.stop();
    await ollama.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

const round = (n: number) => Math.round(n);
const round2 = (n: number) => Math.round(n * 100) / 100;

function medianSplit(runs: CpuSplit[]): CpuSplit {
  return {
    clientMs: Math.round(median(runs.map((r) => r.clientMs))),
    standinMs: Math.round(median(runs.map((r) => r.standinMs))),
    appMs: Math.round(median(runs.map((r) => r.appMs))),
  };
}
