import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ComparisonSchema, type RunView } from "@/eval/api/schemas";
import {
  compare,
  detail,
  exported,
  importDataset,
  listRuns,
  listJudges,
  page,
  runToEnd,
  startRunServer,
  type RunServer,
} from "@/test-support/api-client";
import { startGroqStandin, type GroqStandin } from "@/test-support/groq-standin";
import { mrRow } from "@/test-support/mr-dataset";
import { GEMMA, MEDGPT } from "@/test-support/ollama-models";

/**
 * Runs graded by the Groq judge (groq-sdk against the Groq stand-in, GROQ_API_KEY + GROQ_BASE_URL set for this file).
 * Generations come from the Ollama stand-in's made-up replies (option B).
 */

const GROQ_KEY = "gsk_test_key_for_the_standin";
const JUDGE = "groq:openai/gpt-oss-120b";

let server: RunServer;
let groq: GroqStandin;
let datasetId = "";

beforeAll(async () => {
  groq = await startGroqStandin({ apiKey: GROQ_KEY });
  // MEDGPT_JUDGE unset: with GROQ_API_KEY the default judge is groq:openai/gpt-oss-120b.
  server = await startRunServer("medgpt-groq-judge-", {
    env: { MEDGPT_JUDGE: "", GROQ_API_KEY: GROQ_KEY, GROQ_BASE_URL: groq.url },
  });

  const rows = [0, 1, 2].map((i) =>
    mrRow(
      `Case ${i}: a patient with finding ${i}. Which is most likely?`,
      { A: `alpha ${i}`, B: `beta ${i}`, C: `gamma ${i}` },
      i === 2 ? "C" : "B",
      `reference reasoning ${i}`,
      "Answer.",
    ),
  );
  datasetId = (await importDataset(rows.join("\n"), "judged")).dataset.id;
});
afterAll(async () => {
  await server.stop();
  await groq.stop();
});

/** The judge's user prompt names the case; case 1 gets prose (unreadable), the others a score per case. */
function byCase() {
  groq.respondWith((req) => {
    const text = JSON.stringify(req.body);
    const n = Number(/Case (\d+):/.exec(text)?.[1] ?? -1);
    if (n === 1) return { kind: "content", content: "This answer seems fine to me overall." };
    return { kind: "verdict", score: n === 0 ? 5 : 2, explanation: `verdict for case ${n}` };
  });
}

describe("GET /api/judges with GROQ_API_KEY set", () => {
  it("offers both providers, and Groq's current model as the default judge", async () => {
    const judges = await listJudges();
    expect(judges.default).toBe(JUDGE);
    expect(judges.providers).toEqual([
      { provider: "groq", example: JUDGE, available: true, reason: null, models: null },
      // The Ollama stand-in is up with its two models: they can judge.
      {
        provider: "ollama",
        example: "ollama:qwen3:8b",
        available: true,
        reason: null,
        models: [`${MEDGPT}:latest`, GEMMA],
      },
    ]);
  });
});

describe("a run judged by Groq", () => {
  let run: RunView;
  let chats: ReturnType<GroqStandin["chatRequests"]>;

  beforeAll(async () => {
    groq.reset();
    byCase();
    run = await runToEnd({ datasetId, models: [MEDGPT, GEMMA], judge: JUDGE });
    chats = groq.chatRequests();
  });

  it("judges every successful generation and reports the judge in the run", () => {
    expect(run).toMatchObject({ status: "completed", judge: JUDGE, done: 6, errors: 0, judged: 6 });
    expect(run.config).toMatchObject({ judge: { provider: "groq", model: "openai/gpt-oss-120b" } });
  });

  it("summary: judgeMean over the scored verdicts, unreadable verdicts counted apart", () => {
    for (const s of run.summary!) {
      expect(s).toMatchObject({ judged: 2, judgeMean: 3.5, unparseableVerdicts: 1, judgeErrors: 0 });
      expect(s.judgeCi).not.toBeNull();
      expect(s.judgeCi![0]).toBeLessThan(3.5);
      expect(s.judgeCi![1]).toBeGreaterThan(3.5);
    }
  });

  it("the drill-down shows each model's verdict: score and explanation, or the unreadable raw reply", async () => {
    const d0 = await detail(run.id, 0);
    for (const a of d0.answers) {
      expect(a).toMatchObject({
        judgeStatus: "scored",
        judgeScore: 5,
        judgeExplanation: "verdict for case 0",
        judgeError: null,
      });
      expect(a.judgeRaw).toContain('"score":5');
    }
    const d2 = await detail(run.id, 2);
    expect(d2.answers.map((a) => [a.judgeStatus, a.judgeScore, a.judgeExplanation])).toEqual([
      ["scored", 2, "verdict for case 2"],
      ["scored", 2, "verdict for case 2"],
    ]);
    const d1 = await detail(run.id, 1);
    for (const a of d1.answers) {
      expect(a).toMatchObject({ judgeStatus: "unparseable", judgeScore: null, judgeExplanation: null });
      expect(a.judgeRaw).toContain("seems fine");
      expect(a.judgeError).not.toBeNull();
    }
  });

  it("results: scores on each row; filter=unparseable finds the unreadable verdicts", async () => {
    const all = await page(run.id, "");
    expect(all.rows.map((r) => r.answers.map((a) => a.judgeScore))).toEqual([
      [5, 5],
      [null, null],
      [2, 2],
    ]);
    expect((await page(run.id, "filter=unparseable")).rows.map((r) => r.itemIdx)).toEqual([1]);
  });

  it("the Groq requests carry the API key, the model, JSON mode, the case and the model's reply", () => {
    expect(chats).toHaveLength(6);
    for (const c of chats) {
      expect(c.headers.authorization).toBe(`Bearer ${GROQ_KEY}`);
      const body = c.body as { model: string; response_format: { type: string }; messages: { content: string }[] };
      expect(body.model).toBe("openai/gpt-oss-120b");
      expect(body.response_format).toEqual({ type: "json_object" });
      const text = body.messages.map((m) => m.content).join("\n");
      expect(text).toMatch(/Case \d: a patient with finding \d/);
      expect(text).toMatch(/<answer>\s*B: beta \d\s*<\/answer>/);
    }
  });

  it("export carries the verdicts", async () => {
    const res = await exported(run.id, "jsonl");
    const lines = (await res.text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.item_idx, l.judge_status, l.judge_score])).toEqual([
      [0, "scored", 5],
      [0, "scored", 5],
      [1, "unparseable", null],
      [1, "unparseable", null],
      [2, "scored", 2],
      [2, "scored", 2],
    ]);
    expect(lines[0]!.judge_explanation).toBe("verdict for case 0");
  });

  it("compare counts judge wins, losses and ties over the items both sides have scores for", async () => {
    const res = await compare({ runA: run.id, modelA: MEDGPT, runB: run.id, modelB: GEMMA });
    expect(res.status).toBe(200);
    expect(ComparisonSchema.parse(await res.json()).judge).toEqual({ wins: 0, losses: 0, ties: 2, skipped: 1 });
  });
});

describe("judge selection and judge failures", () => {
  beforeEach(() => groq.reset());

  it("without a judge field the server default applies (groq, since GROQ_API_KEY is set); judge none skips it", async () => {
    const defaulted = await runToEnd({ datasetId, models: [MEDGPT], limit: 1 });
    expect(defaulted).toMatchObject({ status: "completed", judge: JUDGE, judged: 1 });
    expect(groq.chatRequests()).toHaveLength(1);

    groq.reset();
    const none = await runToEnd({ datasetId, models: [MEDGPT], limit: 1, judge: "none" });
    expect(none).toMatchObject({ status: "completed", judge: null, judged: 0 });
    expect(none.summary![0]).toMatchObject({ judged: 0, judgeMean: null });
    expect(groq.chatRequests()).toHaveLength(0);
  });

  it("a judge that keeps refusing is recorded per item as a judge error with Groq's reason", async () => {
    groq.respondWith(() => ({
      kind: "status",
      status: 401,
      body: { error: { message: "Invalid API Key", type: "invalid_request_error", code: "invalid_api_key" } },
    }));
    const run = await runToEnd({ datasetId, models: [MEDGPT], limit: 2, judge: JUDGE });
    expect(run.done).toBe(2);
    expect(run.summary![0]).toMatchObject({ judged: 0, judgeErrors: 2, judgeMean: null, correct: 2 });
    const d = await detail(run.id, 0);
    expect(d.answers[0]).toMatchObject({ judgeStatus: "error", judgeScore: null });
    expect(d.answers[0]!.judgeError).toMatch(/401/);
    expect(d.answers[0]!.judgeError).toMatch(/Invalid API Key/);
    // A run whose judge failed on every answer is not a healthy run, whatever its status says.
    expect(run.warnings).toEqual([expect.stringMatching(/^Judge failed on 2 of 2 answers: 2 judge errors/)]);
  });

  it("a judge whose verdicts are all unreadable: completed, with a warning that says so (list and run alike)", async () => {
    groq.respondWith(() => ({ kind: "content", content: "This reasoning looks broadly fine to me." }));
    const run = await runToEnd({ datasetId, models: [MEDGPT, GEMMA], judge: JUDGE });
    expect(run.status).toBe("completed");
    expect(run.warnings).toEqual([
      "Judge failed on 6 of 6 answers: 6 unreadable verdicts. Its scores are not meaningful for this run.",
    ]);
    expect((await listRuns()).find((r) => r.id === run.id)!.warnings).toEqual(run.warnings);
  });

  it("half the verdicts readable is not a failed judge (the threshold is more than half)", async () => {
    groq.respondWith((req) =>
      JSON.stringify(req.body).includes("Case 1:")
        ? { kind: "content", content: "Fine." }
        : { kind: "verdict", score: 4, explanation: "ok" },
    );
    const run = await runToEnd({ datasetId, models: [MEDGPT], judge: JUDGE, limit: 2 });
    expect(run.summary![0]).toMatchObject({ judged: 1, unparseableVerdicts: 1 });
    expect(run.warnings).toEqual([]);
  });
});
