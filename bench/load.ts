/**
 * npm run load — a bounded local load and fault test against the production build (.next/standalone), on
 * 127.0.0.1 only, with the Ollama stand-in as the model server. Every loop is bounded in count and time.
 *   1. 200 concurrent streams: all complete, none errors.
 *   2. 50 clients abort mid-stream: each abort reaches the model server (counted at the stand-in).
 *   3. The model server dies mid-stream: the clients get an in-band error, the server stays up.
 *   4. SIGKILL in the middle of an evaluation run, restart: the run resumes and ends with every item exactly once.
 *   5. A 45 MB dataset upload: /api/health, polled meanwhile, stays under 100 ms at p99.
 * It prints a table and writes it to BENCHMARKS.md (section "Load and faults").
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { startOllamaStandin, type OllamaStandin } from "@/test-support/ollama-standin";
import { machineLine, writeSection } from "./benchmarks-md";

const PORT = 3397;
const BASE = `http://127.0.0.1:${PORT}`;
const ADMIN = "load-test-admin-token-0123456789abcdef";
const CASE = {
  case: "A 30-year-old woman has a dry cough and bilateral hilar lymphadenopathy. Which?",
  options: { A: "Asthma", B: "Sarcoidosis", C: "Tuberculosis" },
};

type Row = { scenario: string; result: string; pass: boolean };

function startServer(ollama: OllamaStandin, dbPath: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [".next/standalone/server.js"], {
    env: {
      ...process.env,
      PORT: String(PORT),
      HOSTNAME: "127.0.0.1",
      OLLAMA_HOST: ollama.url,
      MEDGPT_BACKEND: "ollama",
      MEDGPT_DB_PATH: dbPath,
      ADMIN_TOKEN: ADMIN,
      MEDGPT_JUDGE: "none",
      MEDGPT_ASK_RATE_LIMIT: "0",
      MEDGPT_ASK_MAX_CONCURRENT: "256",
    },
    stdio: "ignore",
  });
  return waitUp().then(() => child);
}

async function waitUp(): Promise<void> {
  for (let i = 0; i < 150; i++) {
    const up = await fetch(`${BASE}/api/openapi.json`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("the standalone server did not start");
}

const stop = (child: ChildProcess, signal: NodeJS.Signals = "SIGTERM") =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill(signal);
  });

/** One streamed ask; reads to the end (or aborts after `abortAfterTokens` token events). */
async function stream(abortAfterTokens?: number): Promise<{ tokens: number; events: string[] }> {
  const controller = new AbortController();
  const res = await fetch(`${BASE}/api/ask`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/event-stream" },
    body: JSON.stringify(CASE),
    signal: controller.signal,
  });
  const events: string[] = [];
  let tokens = 0;
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffered += decoder.decode(value, { stream: true });
      for (const m of buffered.matchAll(/^event: (\w+)$/gm)) events.push(m[1]!);
      tokens = events.filter((e) => e === "token").length;
      buffered = buffered.slice(buffered.lastIndexOf("\n\n") + 2);
      if (abortAfterTokens !== undefined && tokens >= abortAfterTokens) {
        controller.abort();
        break;
      }
    }
  } catch (err) {
    if (!controller.signal.aborted) throw err;
  }
  return { tokens, events };
}

async function main() {
  if (!existsSync(".next/standalone/server.js")) {
    console.log("skipped: run `npm run build` first (needs the standalone server)");
    return;
  }
  const tmp = mkdtempSync(path.join(os.tmpdir(), "medgpt-load-"));
  const dbPath = path.join(tmp, "load.db");
  const ollama = await startOllamaStandin({ recordingsPath: null, tokenDelayMs: 2 });
  let server = await startServer(ollama, dbPath);
  const rows: Row[] = [];
  try {
    // 1. 200 concurrent streams.
    const t = performance.now();
    const all = await Promise.all(Array.from({ length: 200 }, () => stream()));
    const complete = all.filter((s) => s.events.at(-1) === "done" && !s.events.includes("error")).length;
    rows.push({
      scenario: "200 concurrent streams",
      result: `${complete}/200 complete in ${Math.round(performance.now() - t)} ms`,
      pass: complete === 200,
    });

    // 2. 50 clients abort mid-stream; each abort must reach the stand-in.
    ollama.reset();
    ollama.setTokenDelay(20);
    await Promise.all(Array.from({ length: 50 }, () => stream(3)));
    for (let i = 0; i < 50 && ollama.stats.aborted < 50; i++) await new Promise((r) => setTimeout(r, 100));
    rows.push({
      scenario: "50 clients abort mid-stream",
      result: `${ollama.stats.aborted}/50 aborts reached the model server`,
      pass: ollama.stats.aborted === 50,
    });

    // 3. The model server dies mid-stream.
    ollama.setTokenDelay(2);
    ollama.setFault({ kind: "dieMidStream", afterChunks: 3 });
    const cut = await Promise.all(Array.from({ length: 10 }, () => stream()));
    ollama.setFault({ kind: "none" });
    const inBand = cut.filter((s) => s.events.at(-1) === "error").length;
    const alive = (await fetch(`${BASE}/api/health`)).status === 200;
    rows.push({
      scenario: "model server dies mid-stream (10 streams)",
      result: `${inBand}/10 ended with an error event; server up: ${alive}`,
      pass: inBand === 10 && alive,
    });

    // 4. SIGKILL mid-run, restart, nothing lost or duplicated.
    const rowsText = Array.from({ length: 40 }, (_, i) =>
      JSON.stringify({ question: `Case ${i}: which?`, options: { A: "a", B: "b", C: "c" }, answer_idx: "B" }),
    ).join("\n");
    const auth = { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" };
    const ds = (await (
      await fetch(`${BASE}/api/datasets`, {
        method: "POST",
        headers: auth,
        body: JSON.stringify({ text: rowsText, name: "load" }),
      })
    ).json()) as {
      dataset: { id: string };
    };
    ollama.setTokenDelay(5);
    const created = (await (
      await fetch(`${BASE}/api/runs`, {
        method: "POST",
        headers: auth,
        body: JSON.stringify({ datasetId: ds.dataset.id, models: ["mrizwank97/medgpt"], concurrency: 2 }),
      })
    ).json()) as { id: string };
    const count = () => {
      const db = new Database(dbPath, { readonly: true });
      try {
        return (db.prepare("SELECT COUNT(*) AS n FROM results WHERE run_id = ?").get(created.id) as { n: number }).n;
      } finally {
        db.close();
      }
    };
    for (let i = 0; i < 300 && count() < 10; i++) await new Promise((r) => setTimeout(r, 50));
    const before = count();
    await stop(server, "SIGKILL");
    server = await startServer(ollama, dbPath); // start-up resumes unfinished runs
    let status = "";
    for (let i = 0; i < 600 && status !== "completed"; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = ((await (await fetch(`${BASE}/api/runs/${created.id}`, { headers: auth })).json()) as { status: string })
        .status;
    }
    const db = new Database(dbPath, { readonly: true });
    const perItem = db
      .prepare("SELECT item_idx, COUNT(*) AS c FROM results WHERE run_id = ? GROUP BY item_idx")
      .all(created.id) as { c: number }[];
    db.close();
    const once = perItem.length === 40 && perItem.every((r) => r.c === 1);
    rows.push({
      scenario: "SIGKILL mid-run, restart",
      result: `killed after ${before}/40; after restart ${status}, ${perItem.length} items, each once: ${once}`,
      pass: status === "completed" && once,
    });

    // 5. /api/health while a 45 MB dataset is uploaded and imported.
    const big: string[] = [];
    let size = 0;
    const filler = "finding ".repeat(200);
    for (let i = 0; size < 45e6; i++) {
      const row = JSON.stringify({
        question: `Case ${i}: ${filler}which?`,
        options: { A: "a", B: "b", C: "c" },
        answer_idx: "B",
      });
      big.push(row);
      size += row.length + 1;
    }
    const form = new FormData();
    form.append("file", new Blob([big.join("\n")], { type: "application/jsonl" }), "big.jsonl");
    const encoded = new Response(form);
    const multipartType = encoded.headers.get("content-type")!;
    // Written to a file before anything is timed: the upload is sent by a process of its own (see uploadFromFile).
    const bodyFile = path.join(tmp, "upload.body");
    writeFileSync(bodyFile, Buffer.from(await encoded.arrayBuffer()));
    const auth2 = { authorization: `Bearer ${ADMIN}` };
    // The route's first answers include loading its code: they are not what an upload costs others.
    // The same for the upload's route: the server was just restarted (4.), and loading a route's code the first time
    // it is called blocks for a while on a busy machine.
    for (let i = 0; i < 5; i++) await fetch(`${BASE}/api/health`).then((r) => r.text());
    for (let i = 0; i < 3; i++) await fetch(`${BASE}/api/datasets`, { headers: auth2 }).then((r) => r.text());
    const idle = await pollHealth(2000);
    // The poller runs in a process of its own, like the uploader: the pauses of this process (which hosts the model
    // server stand-in) must not count as the app's. Its first request, which loads its own HTTP client, is not counted.
    const poller = spawn(
      process.execPath,
      [
        "-e",
        `const out = []; let on = true; process.on("SIGTERM", () => { on = false; });
         (async () => { await fetch("${BASE}/api/health").then((r) => r.text()).catch(() => {});
           while (on) { const t = performance.now();
           await fetch("${BASE}/api/health").then((r) => r.text()).catch(() => {});
           out.push(performance.now() - t); await new Promise((r) => setTimeout(r, 20)); }
           process.stdout.write(JSON.stringify(out)); })();`,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let polled = "";
    poller.stdout!.on("data", (b: Buffer) => (polled += b.toString()));
    const pollerDone = new Promise((r) => poller.once("exit", r));
    await new Promise((r) => setTimeout(r, 300)); // a few polls before the upload starts
    const uploadStart = performance.now();
    const uploaded = await uploadFromFile(bodyFile, { ...auth2, "content-type": multipartType });
    const uploadMs = Math.round(performance.now() - uploadStart);
    const imported = uploaded.accepted;
    poller.kill("SIGTERM");
    await pollerDone;
    const latencies = JSON.parse(polled || "[]") as number[];
    latencies.sort((a, b) => a - b);
    const p99 = latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))] ?? Infinity;
    rows.push({
      scenario: `45 MB upload (${big.length} rows)`,
      result: `${imported} imported in ${uploadMs} ms; /api/health p99 ${Math.round(p99)} ms, max ${Math.round(latencies.at(-1) ?? 0)} ms over ${latencies.length} polls (idle: p99 ${Math.round(idle)} ms)`,
      pass: uploaded.status === 201 && p99 < 100,
    });
  } finally {
    await stop(server);
    await ollama.stop();
    rmSync(tmp, { recursive: true, force: true });
  }

  const table = [
    "| scenario | result | pass |",
    "| --- | --- | --- |",
    ...rows.map((r) => `| ${r.scenario} | ${r.result} | ${r.pass ? "yes" : "**no**"} |`),
  ].join("\n");
  console.log(table);
  await writeSection("Load and faults (`npm run load`)", `${machineLine()}\n\n${table}`);
  if (rows.some((r) => !r.pass)) process.exitCode = 1;
}

/**
 * POSTs the upload from a process of its own. This process hosts the model server's stand-in, and /api/health asks the
 * model server whether it is up: if this process were busy sending 45 MB, the stand-in's answers would wait and the
 * polls would time this process instead of the app (a real Ollama and a real uploader are other processes too).
 */
async function uploadFromFile(
  file: string,
  headers: Record<string, string>,
): Promise<{ status: number; accepted: number }> {
  const child = spawn(
    process.execPath,
    [
      "-e",
      `const body = require("node:fs").readFileSync(${JSON.stringify(file)});
       fetch("${BASE}/api/datasets", { method: "POST", headers: ${JSON.stringify(headers)}, body })
         .then(async (r) => process.stdout.write(JSON.stringify({ status: r.status, accepted: (await r.json()).accepted ?? 0 })))
         .catch((e) => { console.error(e); process.exit(1); });`,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let out = "";
  child.stdout!.on("data", (b: Buffer) => (out += b.toString()));
  await new Promise((r) => child.once("exit", r));
  return out ? (JSON.parse(out) as { status: number; accepted: number }) : { status: 0, accepted: 0 };
}

/** p99 of /api/health latency polled every 20 ms for `ms`, with nothing else going on. */
async function pollHealth(ms: number): Promise<number> {
  const latencies: number[] = [];
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const t = performance.now();
    await fetch(`${BASE}/api/health`).then((r) => r.text());
    latencies.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 20));
  }
  latencies.sort((a, b) => a - b);
  return latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))] ?? Infinity;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
