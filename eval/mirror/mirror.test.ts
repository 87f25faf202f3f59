import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unrelatedHttpRoundTrip } from "@/test-support/async";
import { startWeaveStandin, type WeaveStandin } from "@/test-support/weave-standin";
import {
  locateMirrorWorker,
  mirrorToWeave,
  resolveWeaveEntry,
  validateMirrorPayload,
  type MirrorEvent,
} from "./mirror";
import type { MirrorItem, MirrorPayload } from "./types";

const API_KEY = "test-wandb-key-123";

const ITEMS: MirrorItem[] = [
  {
    inputs: {
      index: 0,
      case: "A 30-year-old woman has a cough.",
      options: { A: "Asthma", B: "GERD", C: "Lupus" },
      reference: "A",
    },
    output: { raw: "The answer is A: Asthma.", letter: "A" },
    scores: { exact_match: true, format_ok: true, judge_score: 5 },
  },
  {
    inputs: {
      index: 1,
      case: "A 60-year-old man has chest pain.",
      options: { A: "MI", B: "GERD", C: "PE" },
      reference: "C",
    },
    output: { raw: "Most likely B (GERD).", letter: "B" },
    scores: { exact_match: false, format_ok: true, judge_score: 2 },
  },
  {
    inputs: { index: 2, case: "A child has a rash.", options: { A: "Measles", B: "Scarlet fever" }, reference: "B" },
    output: { raw: "I cannot decide between the options.", letter: null },
    scores: { exact_match: false, format_ok: false, judge_score: null },
  },
  {
    inputs: {
      index: 3,
      case: "A 45-year-old has jaundice.",
      options: { A: "Hepatitis", B: "Gallstones" },
      reference: "A",
    },
    output: { raw: "Answer: A", letter: "A" },
    scores: { exact_match: true, format_ok: true, judge_score: 4 },
  },
  {
    inputs: {
      index: 4,
      case: "An athlete collapses.",
      options: { A: "HCM", B: "Asthma", C: "Dehydration" },
      reference: "A",
    },
    output: { raw: "C — dehydration", letter: "C" },
    scores: { exact_match: false, format_ok: true, judge_score: 1 },
  },
];

const payloadFor = (traceServerUrl: string, over: Partial<MirrorPayload> = {}): MirrorPayload => ({
  runId: "run-42",
  project: "medgpt-team/medgpt-evals",
  apiKey: API_KEY,
  traceServerUrl,
  evaluationName: "medgpt-test93",
  model: "mrizwank97/medgpt:latest",
  datasetName: "test93",
  items: ITEMS,
  summary: { accuracy: 0.4, format_rate: 0.8, judge_mean: 3, n: 5 },
  ...over,
});

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "weave-mirror-test-"));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe("validateMirrorPayload / locateMirrorWorker", () => {
  it("rejects a project without entity, an empty key and unusable names before starting a worker", async () => {
    const bad = payloadFor("http://127.0.0.1:1", {
      project: "medgpt-evals",
      apiKey: " ",
      evaluationName: "--",
      traceServerUrl: "ftp://x",
    });
    const problem = validateMirrorPayload(bad);
    expect(problem).toMatch(/entity\/project/);
    expect(problem).toMatch(/apiKey/);
    expect(problem).toMatch(/evaluationName/);
    expect(problem).toMatch(/traceServerUrl/);
    const t0 = Date.now();
    const r = await mirrorToWeave(bad);
    expect(r).toEqual({ ok: false, error: problem });
    expect(Date.now() - t0).toBeLessThan(200);
    expect(validateMirrorPayload(payloadFor("http://127.0.0.1:1"))).toBeNull();
  });

  it("finds worker.mjs from the repo root cwd", () => {
    const found = locateMirrorWorker();
    expect(found).toEqual({ path: path.join(process.cwd(), "eval", "mirror", "worker.mjs") });
  });

  it("resolves weave's entry file for the worker without loading weave here", () => {
    expect(resolveWeaveEntry()).toBe(path.join(process.cwd(), "node_modules", "weave", "dist", "index.js"));
  });

  it("reports a missing worker script as a failure, not a throw", async () => {
    const r = await mirrorToWeave(payloadFor("http://127.0.0.1:1"), {
      workerPath: path.join(tmp, "nope.mjs"),
      timeoutMs: 5000,
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/worker crashed.*Cannot find module/);
  });
});

describe("mirrorToWeave against the stand-in", () => {
  let standin: WeaveStandin;
  beforeAll(async () => {
    standin = await startWeaveStandin();
  });
  afterAll(async () => {
    await standin.stop();
  });

  it("(a) mirrors every prediction, score and the summary, and returns the evaluate call's URL", async () => {
    standin.reset();
    const events: MirrorEvent[] = [];
    const errorLog = path.join(tmp, "a", "weaveErrors.log");
    const r = await mirrorToWeave(payloadFor(standin.url), { onEvent: (e) => events.push(e), errorLogPath: errorLog });

    // The root call: Evaluation.evaluate, with the summary as its output.
    const evaluate = standin.callsOf("Evaluation.evaluate");
    expect(evaluate).toHaveLength(1);
    const root = evaluate[0]!;
    expect(r).toEqual({ ok: true, url: `https://wandb.ai/medgpt-team/medgpt-evals/r/call/${root.id}` });
    expect(root.ended).toBe(true);
    expect(root.opName).toMatch(/^weave:\/\/\/medgpt-team\/medgpt-evals\/op\/Evaluation\.evaluate:/);
    expect(root.inputs.self).toMatch(/^weave:\/\/\/medgpt-team\/medgpt-evals\/object\/medgpt-test93:/);
    expect(root.inputs.model).toMatch(/\/object\/mrizwank97-medgpt-latest:/);
    expect(root.attributes).toMatchObject({
      _weave_eval_meta: { imperative: true },
      medgpt: { run_id: "run-42", model: "mrizwank97/medgpt:latest" },
    });
    expect(root.output).toEqual({
      accuracy: 0.4,
      format_rate: 0.8,
      judge_mean: 3,
      n: 5,
      exact_match: { true_count: 2, true_fraction: 0.4 },
      format_ok: { true_count: 4, true_fraction: 0.8 },
      judge_score: { mean: 3, count: 4 },
    });
    const summarize = standin.callsOf("Evaluation.summarize");
    expect(summarize).toHaveLength(1);
    expect(summarize[0]!.parentId).toBe(root.id);
    expect(summarize[0]!.output).toEqual(root.output);

    // One predict_and_score per item under the root, each with one Model.predict child carrying inputs and output.
    const pas = standin.callsOf("Evaluation.predict_and_score");
    expect(pas).toHaveLength(ITEMS.length);
    for (const item of ITEMS) {
      const p = pas.find((c) => (c.inputs.example as { index?: number } | undefined)?.index === item.inputs.index);
      expect(p, `predict_and_score for item ${item.inputs.index}`).toBeDefined();
      expect(p!.parentId).toBe(root.id);
      expect(p!.inputs.example).toEqual(item.inputs);
      const expectedScores: Record<string, unknown> = {
        exact_match: item.scores.exact_match,
        format_ok: item.scores.format_ok,
      };
      if (item.scores.judge_score !== null) expectedScores.judge_score = item.scores.judge_score;
      expect(p!.output).toEqual({ output: item.output, scores: expectedScores });

      const predict = standin.calls().filter((c) => c.op === "Model.predict" && c.parentId === p!.id);
      expect(predict).toHaveLength(1);
      expect(predict[0]!.inputs).toEqual({ arg0: item.inputs });
      expect(predict[0]!.output).toEqual(item.output);
      expect(predict[0]!.ended).toBe(true);

      // Scores arrive as feedback on the predict call (this is what the Evaluations view reads) ...
      const fb = standin.feedback.filter(
        (f) => f.weaveRef === `weave:///medgpt-team/medgpt-evals/call/${predict[0]!.id}`,
      );
      const byScorer = Object.fromEntries(
        fb.map((f) => [f.feedbackType.replace("wandb.runnable.", ""), (f.payload as { output: unknown }).output]),
      );
      expect(byScorer).toEqual(expectedScores);
      // ... and as <scorer>.score child calls of predict_and_score.
      const scoreCalls = standin.calls().filter((c) => c.op.endsWith(".score") && c.parentId === p!.id);
      expect(Object.fromEntries(scoreCalls.map((c) => [c.op.replace(".score", ""), c.output]))).toEqual(expectedScores);
    }
    expect(standin.feedback).toHaveLength(14); // 5 × 3 scores, minus the one missing judge score

    // Every call that started also ended; auth is the API key; nothing failed (no GraphQL call to api.wandb.ai
    // either: it would have failed here and shown up as a failure event).
    expect(standin.calls().every((c) => c.ended && c.startedAt !== null)).toBe(true);
    expect(new Set(standin.requests.map((q) => q.authorization))).toEqual(
      new Set([`Basic ${Buffer.from(`api:${API_KEY}`).toString("base64")}`]),
    );
    expect(events.filter((e) => e.kind === "failure")).toEqual([]);
    expect(events.filter((e) => e.kind === "progress").at(-1)).toEqual({ kind: "progress", done: 5, total: 5 });
    expect(new Set(standin.requests.map((q) => q.path))).toEqual(
      new Set(["/obj/create", "/file/create", "/call/upsert_batch", "/feedback/create"]),
    );
    expect(standin.requests.every((q) => q.status === 200)).toBe(true);
    expect(existsSync(errorLog)).toBe(false);
  });

  it("(b) every request answered 500: ok:false within the timeout, saying it timed out on HTTP 500", async () => {
    standin.reset();
    standin.setFault({ kind: "status", status: 500 });
    try {
      const t0 = Date.now();
      const r = await mirrorToWeave(payloadFor(standin.url), { timeoutMs: 3000 });
      expect(Date.now() - t0).toBeLessThan(4500);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error).toMatch(/timed out after 3000 ms/);
        expect(r.error).toMatch(/HTTP 500 from POST \/obj\/create/);
        expect(r.error).toMatch(/0\/5 predictions logged/);
      }
      expect(standin.requests.length).toBeGreaterThan(0);
      expect(standin.requests.every((q) => q.status === 500)).toBe(true);
    } finally {
      standin.setFault({ kind: "none" });
    }
    expect(await unrelatedHttpRoundTrip()).toBe("still alive");
  });

  it("(b) a rejected API key (401 everywhere) fails fast with the reason", async () => {
    standin.reset();
    standin.setFault({ kind: "status", status: 401 });
    try {
      const t0 = Date.now();
      const r = await mirrorToWeave(payloadFor(standin.url), { timeoutMs: 10_000 });
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(r).toEqual({ ok: false, error: expect.stringMatching(/HTTP 401 to \/obj\/create.*API key/) });
    } finally {
      standin.setFault({ kind: "none" });
    }
  });

  it("(b) weave's own process.exit(1) (after >10 failed upserts) ends only the worker", async () => {
    standin.reset();
    standin.setFault({ kind: "status", status: 400, paths: ["/call/upsert_batch"] });
    const errorLog = path.join(tmp, "b", "weaveErrors.log");
    const cwdLog = path.join(process.cwd(), "weaveErrors.log");
    const cwdLogBefore = existsSync(cwdLog) ? readFileSync(cwdLog, "utf8") : null;
    try {
      const r = await mirrorToWeave(payloadFor(standin.url), { timeoutMs: 15_000, errorLogPath: errorLog });
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error).toMatch(/worker exited with code 1.*process\.exit\(1\) after more than 10 failed call uploads/);
        expect(r.error).toMatch(/HTTP 400 from POST \/call\/upsert_batch/);
      }
    } finally {
      standin.setFault({ kind: "none" });
    }
    expect(standin.requests.filter((q) => q.path === "/call/upsert_batch")).toHaveLength(11);
    // The weaveErrors.log lines went to the chosen file, not to the cwd.
    expect(readFileSync(errorLog, "utf8")).toMatch(/Error processing batch/);
    expect(existsSync(cwdLog) ? readFileSync(cwdLog, "utf8") : null).toBe(cwdLogBefore);

    // We are alive, and the next mirror works.
    expect(process.exitCode ?? 0).toBe(0);
    expect(await unrelatedHttpRoundTrip()).toBe("still alive");
    standin.reset();
    const again = await mirrorToWeave(payloadFor(standin.url, { items: ITEMS.slice(0, 1) }));
    expect(again.ok).toBe(true);
    expect(standin.callsOf("Model.predict")).toHaveLength(1);
  });

  it("(b) failed score uploads make the result ok:false and say which part is missing", async () => {
    standin.reset();
    standin.setFault({ kind: "status", status: 400, paths: ["/feedback/create"] });
    try {
      const r = await mirrorToWeave(payloadFor(standin.url), { timeoutMs: 10_000 });
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error).toMatch(/14 of 14 score\(s\) failed to upload/);
        expect(r.error).toMatch(/HTTP 400 from POST \/feedback\/create/);
        expect(r.error).toMatch(/logged at https:\/\/wandb\.ai\/medgpt-team\/medgpt-evals\/r\/call\//);
      }
    } finally {
      standin.setFault({ kind: "none" });
    }
    expect(standin.callsOf("Evaluation.evaluate")[0]?.ended).toBe(true);
  });

  it("a server that accepts but never answers: timeout names the unanswered request", async () => {
    standin.reset();
    standin.setFault({ kind: "hang" });
    try {
      const r = await mirrorToWeave(payloadFor(standin.url), { timeoutMs: 2500 });
      expect(r.ok).toBe(false);
      if (!r.ok)
        expect(r.error).toMatch(/timed out after 2500 ms.*request\(s\) unanswered, oldest POST \/obj\/create waiting/);
    } finally {
      standin.setFault({ kind: "none" });
    }
  });
});

describe("(c) unreachable trace server", () => {
  it("closed port: ok:false naming the timeout and ECONNREFUSED, without hanging", async () => {
    const s = await startWeaveStandin();
    const url = s.url;
    await s.stop(); // nothing listens on this port any more
    const t0 = Date.now();
    const r = await mirrorToWeave(payloadFor(url), { timeoutMs: 2500 });
    expect(Date.now() - t0).toBeLessThan(4000);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatch(/timed out after 2500 ms; trace server unreachable/);
      expect(r.error).toMatch(/POST \/obj\/create failed: fetch failed: connect ECONNREFUSED 127\.0\.0\.1:\d+/);
    }
    expect(await unrelatedHttpRoundTrip()).toBe("still alive");
  });
});
