import { readFileSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import { openDb, type Db } from "@/eval/store/connection";
import { getResults } from "@/eval/store/results";
import { getRun, requestCancel, requeueRun } from "@/eval/store/runs";
import { AppError } from "@/lib/errors";
import { OllamaBackend } from "@/lib/inference/ollama";
import { importIntoDb } from "@/eval/datasets/import";
import { hasShared, sharedPath } from "@/test-support/shared-data";
import { startOllamaStandin, type OllamaStandin } from "@/test-support/ollama-standin";
import { runRequest } from "@/test-support/run-request";
import { executeRun } from "./execute";
import { newRun } from "./new-run";
import { summarizeModel } from "./summary";

let standin: OllamaStandin;
let backend: OllamaBackend;
const config = loadConfig({ MEDGPT_JUDGE: "none" });

beforeAll(async () => {
  standin = await startOllamaStandin();
  backend = new OllamaBackend({ host: standin.url, timeoutMs: 5000 });
});
afterAll(() => standin.stop());
beforeEach(() => {
  standin.setFault({ kind: "none" });
  standin.setTokenDelay(0);
  standin.setModels(["mrizwank97/medgpt:latest", "gemma2:2b"]);
  standin.reset();
});

/** A small dataset written for these tests; the stand-in answers B for cases it has no recording of. */
function smallDataset(db: Db, n = 6) {
  const rows = Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      question: `Case ${i}: a patient with finding ${i}. Which is most likely?`,
      options: { A: `alpha ${i}`, B: `beta ${i}`, C: `gamma ${i}`, D: `delta ${i}` },
      answer_idx: i % 2 === 0 ? "B" : "C",
    }),
  );
  return importIntoDb(db, rows.join("\n"), { name: "small", filename: "small.jsonl" }).dataset.id;
}

/** A fresh database holding a small dataset of `items` cases and a run of it judged by the Groq stand-in at `groqUrl`. */
async function groqJudgedRun(groqUrl: string, items: number) {
  const judged = loadConfig({ GROQ_API_KEY: "test-key", GROQ_BASE_URL: groqUrl });
  const db = openDb(":memory:");
  const run = await newRun(
    db,
    backend,
    judged,
    runRequest(smallDataset(db, items), { judge: "groq:openai/gpt-oss-120b" }),
  );
  return { judged, db, run };
}

describe.skipIf(!hasShared)("a run over the 93 recorded cases", () => {
  it("reproduces the earlier version's figures: 64/93 for the fine-tune, 0/93 for the base model", async () => {
    const db = openDb(":memory:");
    const text = readFileSync(sharedPath("data", "medical-reasoning-test93.jsonl"), "utf8");
    const datasetId = importIntoDb(db, text, { name: "test93", filename: "test93.jsonl" }).dataset.id;
    const run = await newRun(
      db,
      backend,
      config,
      runRequest(datasetId, { models: ["mrizwank97/medgpt", "gemma2:2b"], concurrency: 4 }),
    );
    expect(await executeRun(db, run, { backend, judge: null, config })).toBe("completed");

    const results = getResults(db, run.id);
    const fine = summarizeModel("mrizwank97/medgpt", 93, results, []);
    const base = summarizeModel("gemma2:2b", 93, results, []);
    expect(fine).toMatchObject({ total: 93, completed: 93, answered: 93, correct: 64, formatOk: 93, errors: 0 });
    expect(base).toMatchObject({ total: 93, completed: 93, answered: 0, correct: 0, formatOk: 0, errors: 0 });
    expect(fine.accuracyCi![0]).toBeCloseTo(0.5881, 3); // scipy's Wilson interval for 64/93
    expect(fine.accuracyCi![1]).toBeCloseTo(0.7733, 3);
  });
});

describe("executing a run", () => {
  it("commits every item once, with the parsed letter and exact match against the reference", async () => {
    const db = openDb(":memory:");
    const run = await newRun(db, backend, config, runRequest(smallDataset(db)));
    const seen: number[] = [];
    await executeRun(db, run, { backend, judge: null, config, onProgress: (p) => seen.push(p.done) });
    const results = getResults(db, run.id);
    expect(results.map((r) => r.itemIdx)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(results.map((r) => r.letter)).toEqual(["B", "B", "B", "B", "B", "B"]);
    expect(results.map((r) => r.exact)).toEqual([true, false, true, false, true, false]);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
    expect(getRun(db, run.id)).toMatchObject({ status: "completed", ownerPid: null });
  });

  it("a seeded sample selects the same items every time", async () => {
    const db = openDb(":memory:");
    const id = smallDataset(db, 20);
    const a = await newRun(db, backend, config, runRequest(id, { sample: 5, seed: 7 }));
    const b = await newRun(db, backend, config, runRequest(id, { sample: 5, seed: 7 }));
    const c = await newRun(db, backend, config, runRequest(id, { sample: 5, seed: 8 }));
    expect(a.itemIdxs).toHaveLength(5);
    expect(b.itemIdxs).toEqual(a.itemIdxs);
    expect(c.itemIdxs).not.toEqual(a.itemIdxs);
  });

  it("retries a failed generation and records how many attempts it took", async () => {
    const db = openDb(":memory:");
    const run = await newRun(db, backend, config, runRequest(smallDataset(db, 1)));
    standin.setFault({ kind: "http500" }, { times: 1 });
    await executeRun(db, run, { backend, judge: null, config, retry: { baseMs: 1 } });
    expect(getResults(db, run.id)[0]).toMatchObject({ status: "ok", attempts: 2, letter: "B" });
  });

  it("records an item that keeps failing as an error with its reason, and ends the run as partial", async () => {
    const db = openDb(":memory:");
    const run = await newRun(db, backend, config, runRequest(smallDataset(db, 2), { concurrency: 1 }));
    standin.setFault({ kind: "http500" }, { times: 3 });
    const status = await executeRun(db, run, { backend, judge: null, config, retry: { baseMs: 1, maxAttempts: 3 } });
    expect(status).toBe("partial");
    const [failed, ok] = getResults(db, run.id);
    expect(failed).toMatchObject({ status: "error", attempts: 3, letter: null });
    expect(failed!.error).toMatch(/upstream_error/);
    expect(ok).toMatchObject({ status: "ok" });
  });

  it("refuses to start when a model is missing or the backend is down", async () => {
    const db = openDb(":memory:");
    const id = smallDataset(db);
    await expect(newRun(db, backend, config, runRequest(id, { models: ["nope:1b"] }))).rejects.toMatchObject({
      code: "model_not_found",
    });
    await standin.goDown();
    try {
      await expect(newRun(db, backend, config, runRequest(id))).rejects.toBeInstanceOf(AppError);
    } finally {
      await standin.comeUp();
    }
  });

  it("stops at a cancel and keeps what was already committed", async () => {
    const db = openDb(":memory:");
    const run = await newRun(db, backend, config, runRequest(smallDataset(db, 12), { concurrency: 1 }));
    standin.setTokenDelay(5);
    const status = await executeRun(db, run, {
      backend,
      judge: null,
      config,
      heartbeatMs: 20,
      onProgress: (p) => {
        if (p.done === 3) requestCancel(db, run.id);
      },
    });
    expect(status).toBe("cancelled");
    const done = getResults(db, run.id).length;
    expect(done).toBeGreaterThanOrEqual(3);
    expect(done).toBeLessThan(12);
  });

  it("resumes an interrupted run without redoing finished items", async () => {
    const db = openDb(":memory:");
    const run = await newRun(db, backend, config, runRequest(smallDataset(db, 8), { concurrency: 1 }));
    const stop = new AbortController();
    const first = await executeRun(
      db,
      run,
      {
        backend,
        judge: null,
        config,
        onProgress: (p) => {
          if (p.done === 3) stop.abort();
        },
      },
      stop.signal,
    );
    expect(first).toBe("interrupted"); // resumable, not cancelled
    const before = getResults(db, run.id).length;
    standin.reset();
    expect(requeueRun(db, run.id)).toBe(true);
    expect(await executeRun(db, run, { backend, judge: null, config })).toBe("completed");
    expect(getResults(db, run.id)).toHaveLength(8);
    const generated = standin.requests.filter((r) => r.path === "/api/generate").length;
    expect(generated).toBe(8 - before);
  });
});

describe("judging a run (Groq judge through groq-sdk, against the Groq stand-in)", () => {
  it("stores each verdict, keeps an unreadable one as unparseable, and stores the judge spec with the run", async () => {
    const { startGroqStandin } = await import("@/test-support/groq-standin");
    const groq = await startGroqStandin({ apiKey: "test-key" });
    try {
      // Case 1's verdict is prose, not JSON; every other case gets a score that depends on the case.
      groq.respondWith((req) => {
        const text = JSON.stringify(req.body);
        if (text.includes("Case 1:")) return { kind: "content", content: "I think this answer is quite good." };
        const n = Number(/Case (\d+):/.exec(text)?.[1] ?? 0);
        return { kind: "verdict", score: n % 2 === 0 ? 5 : 1, explanation: `case ${n}` };
      });
      const { judged, db, run } = await groqJudgedRun(groq.url, 4);
      expect(run.config.judge).toMatchObject({
        provider: "groq",
        model: "openai/gpt-oss-120b",
        params: { temperature: 0 },
      });
      expect(run.config.judge!.systemPrompt).toMatch(/JSON/);

      const { judgeFor } = await import("./judge");
      await executeRun(db, run, { backend, judge: judgeFor(run.config.judge, judged), config: judged });
      const { getVerdicts } = await import("@/eval/store/results");
      const verdicts = getVerdicts(db, run.id);
      expect(verdicts.map((v) => [v.itemIdx, v.status, v.score])).toEqual([
        [0, "scored", 5],
        [1, "unparseable", null],
        [2, "scored", 5],
        [3, "scored", 1],
      ]);
      expect(verdicts[1]!.raw).toContain("quite good");
      const s = summarizeModel("mrizwank97/medgpt", 4, getResults(db, run.id), verdicts);
      expect(s).toMatchObject({ judged: 3, unparseableVerdicts: 1, judgeMean: 3.667 });
    } finally {
      await groq.stop();
    }
  });
});

describe("resuming a judged run", () => {
  it("judges with the prompts stored with the run, not with today's defaults", async () => {
    const { startGroqStandin } = await import("@/test-support/groq-standin");
    const groq = await startGroqStandin({ apiKey: "test-key" });
    try {
      groq.respondWith(() => ({ kind: "verdict", score: 4, explanation: "ok" }));
      const { judged, db, run: created } = await groqJudgedRun(groq.url, 2);
      // The run was created by an earlier version whose judge prompts differed from today's.
      const stored = {
        ...created.config,
        judge: {
          ...created.config.judge!,
          systemPrompt: "STORED SYSTEM PROMPT, reply in JSON",
          userPromptTemplate: "STORED USER {{case}} {{model_output}}",
        },
      };
      db.prepare(`UPDATE runs SET config_json = ? WHERE id = ?`).run(JSON.stringify(stored), created.id);
      const run = getRun(db, created.id)!;

      const { judgeFor } = await import("./judge");
      expect(await executeRun(db, run, { backend, judge: judgeFor(run.config.judge, judged), config: judged })).toBe(
        "completed",
      );
      const sent = groq
        .chatRequests()
        .map((r) => (r.body as { messages: { role: string; content: string }[] }).messages);
      expect(sent).toHaveLength(2);
      for (const messages of sent) {
        expect(messages[0]).toEqual({ role: "system", content: "STORED SYSTEM PROMPT, reply in JSON" });
        expect(messages[1]!.content).toMatch(/^STORED USER /);
      }
    } finally {
      await groq.stop();
    }
  });
});

describe("failures that should not spoil a run", () => {
  it("a model server that stays down interrupts the run instead of filling it with errors; resume finishes it", async () => {
    const db = openDb(":memory:");
    const run = await newRun(db, backend, config, runRequest(smallDataset(db, 6), { concurrency: 1 }));
    let downed = false;
    const status = await executeRun(db, run, {
      backend,
      judge: null,
      config,
      retry: { baseMs: 1, maxAttempts: 2 },
      onProgress: (p) => {
        if (p.done === 2 && !downed) {
          downed = true;
          void standin.goDown();
        }
      },
    });
    await standin.comeUp();
    expect(status).toBe("interrupted");
    expect(getRun(db, run.id)!.error).toMatch(/Cannot reach Ollama/);
    expect(getResults(db, run.id).filter((r) => r.status === "error")).toHaveLength(0);

    expect(requeueRun(db, run.id)).toBe(true);
    expect(await executeRun(db, run, { backend, judge: null, config })).toBe("completed");
    expect(getResults(db, run.id)).toHaveLength(6);
  });

  it("resuming a partial run generates its failed items again and keeps the good ones", async () => {
    const db = openDb(":memory:");
    const run = await newRun(db, backend, config, runRequest(smallDataset(db, 3), { concurrency: 1 }));
    standin.setFault({ kind: "http500" }, { times: 2 });
    expect(await executeRun(db, run, { backend, judge: null, config, retry: { baseMs: 1, maxAttempts: 2 } })).toBe(
      "partial",
    );
    expect(getResults(db, run.id).map((r) => r.status)).toEqual(["error", "ok", "ok"]);
    standin.reset();
    expect(requeueRun(db, run.id)).toBe(true);
    expect(await executeRun(db, run, { backend, judge: null, config })).toBe("completed");
    expect(getResults(db, run.id).map((r) => r.status)).toEqual(["ok", "ok", "ok"]);
    expect(standin.requests.filter((r) => r.path === "/api/generate")).toHaveLength(1);
  });

  it("another live owner keeps the run: a second executor does not start it", async () => {
    const db = openDb(":memory:");
    const run = await newRun(db, backend, config, runRequest(smallDataset(db, 2)));
    db.prepare(
      "UPDATE runs SET status = 'running', owner_id = 'other', owner_host = 'elsewhere', owner_pid = 1, heartbeat_at = ? WHERE id = ?",
    ).run(Date.now(), run.id);
    expect(await executeRun(db, run, { backend, judge: null, config })).toBeNull();
    db.prepare("UPDATE runs SET heartbeat_at = ? WHERE id = ?").run(Date.now() - 60_000, run.id);
    expect(await executeRun(db, run, { backend, judge: null, config })).toBe("completed");
  });
});

describe("judge failures", () => {
  it("end the run as partial, and a resume judges those items again", async () => {
    const { startGroqStandin } = await import("@/test-support/groq-standin");
    const { getVerdicts } = await import("@/eval/store/results");
    const { judgeFor } = await import("./judge");
    const groq = await startGroqStandin({ apiKey: "test-key" });
    try {
      groq.respondWith(() => ({
        kind: "status",
        status: 400,
        body: { error: { message: "bad request", type: "invalid_request_error" } },
      }));
      const { judged, db, run } = await groqJudgedRun(groq.url, 2);
      const deps = () => ({ backend, judge: judgeFor(run.config.judge, judged), config: judged });
      expect(await executeRun(db, run, deps())).toBe("partial");
      expect(getVerdicts(db, run.id).map((v) => v.status)).toEqual(["error", "error"]);

      groq.respondWith(() => ({ kind: "verdict", score: 4, explanation: "fine" }));
      requeueRun(db, run.id);
      expect(await executeRun(db, run, deps())).toBe("completed");
      expect(getVerdicts(db, run.id).map((v) => [v.status, v.score])).toEqual([
        ["scored", 4],
        ["scored", 4],
      ]);
      expect(standin.requests.filter((r) => r.path === "/api/generate")).toHaveLength(2); // generations were kept
    } finally {
      await groq.stop();
    }
  });
});
