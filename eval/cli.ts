/**
 * npm run eval -- --dataset <file|id> --model <name> [--model <name2>] [--limit N] [--sample N --seed S]
 *                 [--samples K --temperature T]   (self-consistency: K generations per question, majority vote)
 *                 [--judge none|groq:<model>|ollama:<model>] [--concurrency K] [--db <path>] [--json]
 *                 [--resume <runId>]
 *
 * Runs an evaluation with the same runner as the dashboard. With --json, stdout holds exactly one JSON object
 * (see README); everything else goes to stderr. Exit codes: 0 done (completed or partial), 1 the run failed or was
 * interrupted (resume with --resume), 2 it could not start.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, loadConfig, type AppConfig } from "@/lib/config";
import { openDb, type Db } from "@/eval/store/connection";
import { getDataset } from "@/eval/store/datasets";
import { getResults, getVerdicts } from "@/eval/store/results";
import { getRun, requeueRun, type RunRow } from "@/eval/store/runs";
import { AppError } from "@/lib/errors";
import { createBackend } from "@/lib/inference/select";
import { CreateRunRequestSchema } from "@/eval/api/schemas";
import { importIntoDb } from "@/eval/datasets/import";
import { mirrorRun } from "@/eval/mirror/mirror-run";
import { executeRun } from "@/eval/runner/execute";
import { judgeFor } from "@/eval/runner/judge";
import { newRun } from "@/eval/runner/new-run";
import { summarizeModel, type ModelSummary } from "@/eval/runner/summary";
import { formatSummaryTable, progressBar } from "./cli-format";

class UsageError extends Error {}

function parse(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      dataset: { type: "string" },
      model: { type: "string", multiple: true },
      limit: { type: "string" },
      sample: { type: "string" },
      seed: { type: "string" },
      judge: { type: "string" },
      concurrency: { type: "string" },
      "judge-concurrency": { type: "string" },
      temperature: { type: "string" },
      "max-tokens": { type: "string" },
      samples: { type: "string" },
      db: { type: "string" },
      json: { type: "boolean", default: false },
      resume: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  return values;
}

const int = (v: string | undefined, name: string) => {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new UsageError(`--${name} must be a whole number, got "${v}"`);
  return Number(v);
};

/** A file path is imported (recognised by content hash if seen before); anything else is a dataset id. */
function resolveDataset(db: Db, arg: string, log: (s: string) => void): string {
  if (existsSync(arg)) {
    const text = readFileSync(arg, "utf8");
    const r = importIntoDb(db, text, {
      name: path.basename(arg).replace(/\.[^.]+$/, ""),
      filename: path.basename(arg),
      source: path.resolve(arg),
    });
    log(
      `dataset ${r.dataset.id}: ${r.accepted} items${r.existing ? " (already imported)" : ""}, ${r.rejected.length} rejected rows`,
    );
    for (const rej of r.rejected.slice(0, 10)) log(`  rejected line ${rej.line}: ${rej.reason}`);
    return r.dataset.id;
  }
  if (getDataset(db, arg)) return arg;
  throw new UsageError(`--dataset: "${arg}" is neither a file nor a dataset id in the database`);
}

export type CliJson = {
  runId: string;
  models: Pick<
    ModelSummary,
    | "model"
    | "total"
    | "answered"
    | "correct"
    | "accuracy"
    | "accuracyCi"
    | "formatOk"
    | "judgeMean"
    | "latencyP50Ms"
    | "latencyP95Ms"
    | "errors"
    | "calibration"
    | "vote"
  >[];
};

export function cliJson(db: Db, run: RunRow): CliJson {
  const results = getResults(db, run.id);
  const verdicts = getVerdicts(db, run.id);
  return {
    runId: run.id,
    models: run.config.models.map((m) => {
      const s = summarizeModel(m, run.itemIdxs.length, results, verdicts);
      return {
        model: s.model,
        total: s.total,
        answered: s.answered,
        correct: s.correct,
        accuracy: s.accuracy,
        accuracyCi: s.accuracyCi,
        formatOk: s.formatOk,
        judgeMean: s.judgeMean,
        latencyP50Ms: s.latencyP50Ms,
        latencyP95Ms: s.latencyP95Ms,
        errors: s.errors,
        calibration: s.calibration,
        vote: s.vote,
      };
    }),
  };
}

async function main(argv: string[]): Promise<number> {
  const args = parse(argv);
  const log = (s: string) => process.stderr.write(`${s}\n`);
  if (args.help) {
    log(
      readFileSync(new URL(import.meta.url), "utf8")
        .split("*/")[0]!
        .replace(/^\/\*\*?|^ \* ?/gm, "")
        .trim(),
    );
    return 0;
  }
  if (args.json) console.log = console.error; // stdout is reserved for the one JSON object
  let config: AppConfig;
  try {
    config = loadConfig({ ...process.env, ...(args.db ? { MEDGPT_DB_PATH: args.db } : {}) });
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
  const db = openDb(config.dbPath);
  const backend = await createBackend(config);

  let run: RunRow;
  if (args.resume) {
    const found = getRun(db, args.resume);
    if (!found) throw new UsageError(`--resume: run ${args.resume} does not exist in ${config.dbPath}`);
    if (found.status === "completed") throw new UsageError(`--resume: run ${found.id} is already complete`);
    requeueRun(db, found.id); // interrupted, cancelled, failed or partial: continue; failed items are tried again
    run = found;
    log(`resuming ${run.id} (was ${found.status})`);
  } else {
    if (!args.dataset) throw new UsageError("--dataset is required (a JSONL/CSV file or a dataset id)");
    if (!args.model?.length) throw new UsageError("at least one --model is required");
    const request = CreateRunRequestSchema.safeParse({
      datasetId: resolveDataset(db, args.dataset, log),
      models: args.model,
      limit: int(args.limit, "limit") ?? null,
      sample: int(args.sample, "sample") ?? null,
      seed: int(args.seed, "seed"),
      judge: args.judge,
      concurrency: int(args.concurrency, "concurrency"),
      judgeConcurrency: int(args["judge-concurrency"], "judge-concurrency"),
      temperature: args.temperature !== undefined ? Number(args.temperature) : undefined,
      maxTokens: int(args["max-tokens"], "max-tokens"),
      samples: int(args.samples, "samples"),
    });
    if (!request.success)
      throw new UsageError(request.error.issues.map((i) => `--${String(i.path[0] ?? "")}: ${i.message}`).join("\n"));
    run = await newRun(db, backend, config, request.data, undefined, "CLI");
    log(
      `run ${run.id}: ${run.itemIdxs.length} items × ${run.config.models.length} model(s), judge ${run.config.judge ? `${run.config.judge.provider}:${run.config.judge.model}` : "none"}`,
    );
  }

  const stop = new AbortController();
  process.once("SIGINT", () => {
    log("\ninterrupting (the items in flight are dropped; finished ones are kept)…");
    stop.abort();
  });
  const bar = progressBar(process.stderr);
  const status = await executeRun(
    db,
    run,
    {
      backend,
      judge: judgeFor(run.config.judge, config),
      config,
      onProgress: (p) => bar.update(p.done, p.total, p.judged, p.errors),
    },
    stop.signal,
  );
  bar.done();
  if (status === null) throw new UsageError(`run ${run.id} is being executed by another process`);
  const finished = getRun(db, run.id)!;
  // Only a run that reached its end is mirrored; an interrupted one is mirrored after it is resumed and ends.
  if (config.weave && finished.mirrorStatus === "pending" && finished.status !== "interrupted") {
    await mirrorRun(db, run.id, config.weave);
    const m = getRun(db, run.id)!;
    log(
      m.mirrorStatus === "mirrored"
        ? `mirrored to Weave: ${m.weaveUrl ?? "(no URL)"}`
        : `Weave mirror failed: ${m.mirrorError}`,
    );
  }
  const out = cliJson(db, finished);
  if (args.json) process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  else process.stdout.write(`${formatSummaryTable(finished, out)}\n`);
  if (finished.status === "failed") log(`run failed: ${finished.error}`);
  if (finished.status === "interrupted")
    log(`run interrupted: ${finished.error}
resume with: npm run eval -- --resume ${run.id}${args.db ? ` --db ${args.db}` : ""}`);
  return finished.status === "failed" || finished.status === "interrupted" ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const message =
      err instanceof AppError
        ? `${err.message}\n${err.fix}`
        : err instanceof UsageError || err instanceof TypeError
          ? err.message
          : String(err);
    process.stderr.write(`error: ${message}\n`);
    process.exit(2);
  },
);
