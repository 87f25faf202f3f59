import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Calibration } from "@/eval/domain";
import { plantedProbabilities } from "@/test-support/planted-logprobs";
import { hasShared, sharedPath } from "@/test-support/shared-data";
import { startOllamaStandin, type OllamaStandin } from "@/test-support/ollama-standin";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
let standin: OllamaStandin;
let tmp: string;

beforeAll(async () => {
  standin = await startOllamaStandin();
  tmp = mkdtempSync(path.join(os.tmpdir(), "medgpt-cli-"));
});
afterAll(() => standin.stop());
beforeEach(() => {
  standin.setTokenDelay(0);
  standin.setModels(["mrizwank97/medgpt:latest", "gemma2:2b"]);
  standin.reset();
});

type Proc = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

/**
 * Starts the real CLI as `npm run eval` does, but as a single process (`node --import tsx`): the `tsx` launcher
 * runs the script in a grandchild, which a SIGKILL of the launcher would leave running.
 */
function cli(args: string[], opts: { onStderr?: (chunk: string, kill: () => void) => void } = {}): Promise<Proc> {
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "eval/cli.ts", ...args], {
    cwd: ROOT,
    env: { ...process.env, OLLAMA_HOST: standin.url, MEDGPT_JUDGE: "none", WANDB_API_KEY: "", WEAVE_PROJECT: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
  child.stderr.on("data", (b: Buffer) => {
    stderr += b.toString();
    opts.onStderr?.(stderr, () => child.kill("SIGKILL"));
  });
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal, stdout, stderr })));
}

function smallFile(n: number): string {
  const file = path.join(tmp, `small-${n}.jsonl`);
  const rows = Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      question: `Case ${i}?`,
      options: { A: `a${i}`, B: `b${i}`, C: `c${i}` },
      answer_idx: i % 3 === 0 ? "B" : "A",
    }),
  );
  writeFileSync(file, rows.join("\n"));
  return file;
}

/** `npm run eval` over a small dataset of `items` cases for the fine-tune, into tmp/`dbName`, then `extra`. */
const smallRunArgs = (items: number, dbName: string, ...extra: string[]) => [
  "--dataset",
  smallFile(items),
  "--model",
  "mrizwank97/medgpt",
  "--db",
  path.join(tmp, dbName),
  ...extra,
];

describe.skipIf(!hasShared)("npm run eval on the 93-case test split", () => {
  it("--json prints exactly one JSON object with correct 64 of 93", async () => {
    const db = path.join(tmp, "json.db");
    const r = await cli([
      "--dataset",
      sharedPath("data", "medical-reasoning-test93.jsonl"),
      "--model",
      "mrizwank97/medgpt",
      "--judge",
      "none",
      "--json",
      "--db",
      db,
      "--concurrency",
      "4",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { runId: string; models: Record<string, unknown>[] };
    expect(r.stdout.trim().startsWith("{") && r.stdout.trim().endsWith("}")).toBe(true); // one object, nothing else
    expect(r.stdout).toContain('"correct": 64');
    expect(r.stdout).toContain('"total": 93');
    expect(out.models[0]).toMatchObject({
      model: "mrizwank97/medgpt",
      total: 93,
      correct: 64,
      answered: 93,
      formatOk: 93,
      judgeMean: null,
      errors: 0,
    });
    // Every fine-tuned reply names its letter right after <answer>, so every answer has a confidence.
    expect((out.models[0]!.calibration as Calibration).n).toBe(93);
    expect(Object.keys(out.models[0]!).sort()).toEqual([
      "accuracy",
      "accuracyCi",
      "answered",
      "calibration",
      "correct",
      "errors",
      "formatOk",
      "judgeMean",
      "latencyP50Ms",
      "latencyP95Ms",
      "model",
      "total",
      "vote",
    ]);
  });
});

describe("npm run eval", () => {
  it("prints a summary table without --json", async () => {
    const r = await cli(smallRunArgs(3, "table.db"));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/mrizwank97\/medgpt\s+1\/3/);
  });

  it("--json reports calibration computed from the stand-in's planted log-probabilities", async () => {
    // 3 questions (options A–C); the stand-in's made-up reply picks B every time; references B, A, A.
    const r = await cli(smallRunArgs(3, "cal.db", "--json"));
    expect(r.code, r.stderr).toBe(0);
    const { calibration } = (JSON.parse(r.stdout) as { models: { calibration: Calibration }[] }).models[0]!;
    const p = plantedProbabilities("B", ["A", "B", "C"]);
    const c = p.B!;
    // By hand: one bin holds all three answers at confidence c, accuracy 1/3.
    expect(calibration.n).toBe(3);
    expect(calibration.ece).toBeCloseTo(Math.abs(1 / 3 - c), 4);
    const right = (c - 1) ** 2 + p.A! ** 2 + p.C! ** 2; // reference B
    const wrong = c ** 2 + (p.A! - 1) ** 2 + p.C! ** 2; // reference A
    expect(calibration.brier).toBeCloseTo((right + 2 * wrong) / 3, 4);
    expect(calibration.bins).toEqual([
      {
        lo: Math.floor(c * 10) / 10,
        hi: Math.floor(c * 10 + 1) / 10,
        count: 3,
        meanConfidence: Number(c.toFixed(4)),
        accuracy: 0.3333,
      },
    ]);
  });

  it("--samples 5 stores five samples per question and reports the vote's accuracy", async () => {
    const db = path.join(tmp, "vote.db");
    const args = ["--dataset", smallFile(3), "--model", "mrizwank97/medgpt", "--db", db, "--json"];
    const refused = await cli([...args, "--samples", "5"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--samples: more than one sample needs a temperature above 0/);

    const r = await cli([...args, "--samples", "5", "--temperature", "0.7"]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      runId: string;
      models: { correct: number; vote: { correct: number; accuracy: number } }[];
    };
    expect(out.models[0]!.vote).toMatchObject({ correct: 1, accuracy: 0.3333 });
    const rows = new Database(db, { readonly: true })
      .prepare(
        `SELECT item_idx, COUNT(*) AS n, COUNT(DISTINCT raw) AS kinds FROM samples WHERE run_id = ? GROUP BY item_idx`,
      )
      .all(out.runId) as { item_idx: number; n: number }[];
    expect(rows.map((x) => x.n)).toEqual([5, 5, 5]);
    // Five generations per question reached the model server, each with its own seed.
    const seeds = standin.requests
      .filter((q) => q.path === "/api/generate")
      .map((q) => (q.body as { options: { seed: number } }).options.seed);
    expect(seeds).toHaveLength(15);
    expect(new Set(seeds)).toEqual(new Set([42, 43, 44, 45, 46]));
  });

  it.each([
    [["--model", "mrizwank97/medgpt"], /--dataset is required/],
    [["--dataset", "/nonexistent.jsonl", "--model", "m"], /neither a file nor a dataset id/],
    [
      ["--dataset", "FILE", "--model", "missing-model:7b"],
      /missing-model:7b.*not available[\s\S]*ollama pull missing-model:7b/,
    ],
    [["--dataset", "FILE", "--model", "mrizwank97/medgpt", "--judge", "groq:openai/gpt-oss-20b"], /GROQ_API_KEY/],
    [["--dataset", "FILE", "--model", "mrizwank97/medgpt", "--limit", "ten"], /--limit must be a whole number/],
  ])("exits 2 with a clear message when the run cannot start (%j)", async (args, message) => {
    const file = smallFile(2);
    const r = await cli([...args.map((a) => (a === "FILE" ? file : a)), "--db", path.join(tmp, "bad.db"), "--json"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(message);
  });

  it("exits 2 when the backend is down", async () => {
    await standin.goDown();
    try {
      const r = await cli(smallRunArgs(2, "down.db", "--json"));
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/Cannot reach Ollama/);
    } finally {
      await standin.comeUp();
    }
  });

  it("survives SIGKILL mid-run: --resume completes it with every item recorded exactly once", async () => {
    const db = path.join(tmp, "crash.db");
    const file = smallFile(40);
    standin.setTokenDelay(3);
    // Kill the process once at least 8 results are committed (the progress lines say so).
    const killed = await cli(["--dataset", file, "--model", "mrizwank97/medgpt", "--db", db, "--concurrency", "2"], {
      onStderr: (err, kill) => {
        const m = [...err.matchAll(/progress: (\d+)\//g)].pop();
        if (m && Number(m[1]) >= 8) kill();
      },
    });
    expect(killed.signal).toBe("SIGKILL");
    const conn = new Database(db, { readonly: true });
    const { id } = conn.prepare("SELECT id FROM runs").get() as { id: string };
    const before = (conn.prepare("SELECT COUNT(*) n FROM results").get() as { n: number }).n;
    conn.close();
    expect(before).toBeGreaterThanOrEqual(8);
    expect(before).toBeLessThan(40);

    const generatedBefore = standin.requests.filter((r) => r.path === "/api/generate").length;
    const resumed = await cli(["--resume", id, "--db", db, "--json"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout).models[0]).toMatchObject({ total: 40, errors: 0 });

    const check = new Database(db, { readonly: true });
    const rows = check
      .prepare("SELECT item_idx, COUNT(*) c FROM results WHERE run_id = ? GROUP BY item_idx")
      .all(id) as { item_idx: number; c: number }[];
    const status = (check.prepare("SELECT status FROM runs WHERE id = ?").get(id) as { status: string }).status;
    check.close();
    expect(rows).toHaveLength(40);
    expect(rows.every((r) => r.c === 1)).toBe(true);
    expect(status).toBe("completed");
    // Finished items were not generated again: the resume asked only for the missing ones.
    const generatedAfter = standin.requests.filter((r) => r.path === "/api/generate").length - generatedBefore;
    expect(generatedAfter).toBe(40 - before);
  }, 60_000);
});
