import "server-only";
import { z } from "zod";
import { DEFAULT_CONFIDENCE_THRESHOLDS } from "@/lib/confidence";
import { BackendModeSchema } from "@/lib/inference/modes";
import { CatalogueSchema, DEFAULT_CATALOGUE } from "@/lib/models/catalogue";
import { parsePromptFormatOverrides } from "@/lib/prompt";
import { JudgeArgSchema } from "@/lib/schemas/judge-arg";

/**
 * The one place that reads process.env. Every variable is validated here; a bad value stops the server
 * at start (instrumentation.ts) with a message naming the variable and what it expects.
 */

const bool = z
  .enum(["1", "0", "true", "false", "yes", "no", "on", "off", ""])
  .transform((v) => ["1", "true", "yes", "on"].includes(v));

const url = z.url({ protocol: /^https?$/, error: "must be an http(s) URL, e.g. http://127.0.0.1:11434" });
const probability = z.coerce.number().min(0).max(1);
const positiveInt = (max: number) => z.coerce.number().int().min(1).max(max);

/**
 * Reads OLLAMA_HOST the way Ollama and its clients do: an explicit scheme is kept (and must then be http(s));
 * without one, http is assumed and a missing port is Ollama's 11434, so `ollama` means http://ollama:11434.
 */
function normalizeOllamaHost(value: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return value.replace(/^[a-z]+/i, (s) => s.toLowerCase());
  const host = value.startsWith(":") ? `127.0.0.1${value}` : value;
  const hasPort = /:\d+$/.test(host.replace(/\/.*$/, "")) || /^\[.*\]:\d+/.test(host);
  return `http://${hasPort ? host : host.replace(/^([^/]*)/, "$1:11434")}`;
}

const EnvSchema = z
  .object({
    MEDGPT_MODEL: z.string().trim().min(1).default("mrizwank97/medgpt"),
    OLLAMA_HOST: z.string().trim().default("http://127.0.0.1:11434").transform(normalizeOllamaHost).pipe(url),
    MEDGPT_PROMPT_FORMATS: z
      .string()
      .default("")
      .transform((v, ctx) => {
        try {
          return parsePromptFormatOverrides(v);
        } catch (err) {
          ctx.addIssue({ code: "custom", message: (err as Error).message });
          return z.NEVER;
        }
      }),
    MEDGPT_MAX_TOKENS: positiveInt(4096).default(1024),
    MEDGPT_NUM_CTX: positiveInt(131072).optional(),
    MEDGPT_TOP_P: z.coerce.number().gt(0).max(1).optional(),
    MEDGPT_UPSTREAM_TIMEOUT_MS: positiveInt(3_600_000).default(120_000),
    MEDGPT_BODY_TIMEOUT_MS: positiveInt(600_000).default(10_000),
    MEDGPT_TRUST_PROXY: bool.default(false),
    MEDGPT_ASK_RATE_LIMIT: z.coerce.number().int().min(0).max(100_000).default(30),
    MEDGPT_KEY_RATE_LIMIT: z.coerce.number().int().min(0).max(100_000).default(120),
    MEDGPT_ASK_MAX_CONCURRENT: positiveInt(10_000).default(32),
    MEDGPT_ASK_REQUIRE_KEY: bool.default(false),
    MEDGPT_LOG_CASE_TEXT: bool.default(false),
    MEDGPT_LOG_LEVEL: z
      .enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"], {
        error: "must be one of trace, debug, info, warn, error, fatal, silent",
      })
      .default("info"),
    MEDGPT_METRICS_TOKEN: z
      .string()
      .min(16, { error: "must be at least 16 characters (use e.g. `openssl rand -hex 24`)" })
      .optional(),
    // Set by Next (`next dev`: development, the built server: production) and by the test runner.
    NODE_ENV: z.string().optional(),
    MEDGPT_CONFIDENCE_HIGH: probability.default(DEFAULT_CONFIDENCE_THRESHOLDS.high),
    MEDGPT_CONFIDENCE_MODERATE: probability.default(DEFAULT_CONFIDENCE_THRESHOLDS.moderate),
    MEDGPT_MODEL_CATALOGUE: z
      .string()
      .default("{}")
      .transform((v, ctx) => {
        try {
          return JSON.parse(v) as unknown;
        } catch {
          ctx.addIssue({
            code: "custom",
            message: 'must be JSON, e.g. {"my/model": {"label": "My model", "description": "…"}}',
          });
          return z.NEVER;
        }
      })
      .pipe(CatalogueSchema),

    MEDGPT_DB_PATH: z.string().trim().min(1).default("./data/medgpt.db"),
    ADMIN_TOKEN: z
      .string()
      .min(16, { error: "must be at least 16 characters (use e.g. `openssl rand -hex 24`)" })
      .optional(),
    MEDGPT_EVAL_CONCURRENCY: positiveInt(16).default(2),
    MEDGPT_JUDGE_CONCURRENCY: positiveInt(16).default(2),
    // The provider is checked against evaluation's judge registry when evaluation starts (eval/startup.ts):
    // lib/ cannot see that registry, and the clinician side does not need it.
    MEDGPT_JUDGE: JudgeArgSchema.optional(),
    GROQ_API_KEY: z.string().optional(),
    GROQ_BASE_URL: url.optional(),
    WANDB_API_KEY: z.string().optional(),
    WEAVE_PROJECT: z
      .string()
      .regex(/^[^/\s]+\/[^/\s]+$/, { error: "must be entity/project" })
      .optional(),
    WF_TRACE_SERVER_URL: url.optional(),
    MEDGPT_HF_DATASETS_URL: url.default("https://datasets-server.huggingface.co"),

    MEDGPT_BACKEND: BackendModeSchema.default("auto"),
    OPENAI_BASE_URL: url.default("http://127.0.0.1:8000/v1"),
    OPENAI_API_KEY: z.string().trim().min(1).optional(),
    MEDGPT_GGUF: z.string().trim().min(1).optional(),
    MEDGPT_MODELS_DIR: z.string().trim().min(1).default("./data/models"),
    MEDGPT_REGISTRY_URL: url.default("https://registry.ollama.ai"),
    MEDGPT_AUTO_PULL: bool.default(true),
    MEDGPT_EMBEDDED_GPU: z.enum(["auto", "false"], { error: "must be auto or false" }).default("auto"),
    MEDGPT_EMBEDDED_SEQUENCES: positiveInt(16).default(2),
    MEDGPT_EMBEDDED_CONTEXT: z.coerce.number().int().min(512).max(32768).default(2048),
    MEDGPT_EMBEDDED_THREADS: positiveInt(256).optional(),
    MEDGPT_EMBEDDED_QUEUE_LIMIT: positiveInt(10000).default(64),
  })
  .refine((e) => e.MEDGPT_CONFIDENCE_MODERATE < e.MEDGPT_CONFIDENCE_HIGH, {
    path: ["MEDGPT_CONFIDENCE_MODERATE"],
    error: "must be below MEDGPT_CONFIDENCE_HIGH (the moderate band starts below the high one)",
  });

/** The environment as the app uses it; `AppConfig` is inferred from this, never restated. */
const ConfigSchema = EnvSchema.transform((e) => ({
  defaultModel: e.MEDGPT_MODEL,
  ollamaHost: e.OLLAMA_HOST.replace(/\/+$/, ""),
  promptFormats: e.MEDGPT_PROMPT_FORMATS,
  maxTokens: e.MEDGPT_MAX_TOKENS,
  numCtx: e.MEDGPT_NUM_CTX,
  topP: e.MEDGPT_TOP_P,
  /** No bytes from the model server for this long (first token included) → upstream_timeout. */
  upstreamTimeoutMs: e.MEDGPT_UPSTREAM_TIMEOUT_MS,
  /** A request body must arrive whole within this → 408 request_timeout. */
  bodyTimeoutMs: e.MEDGPT_BODY_TIMEOUT_MS,
  /** Believe X-Forwarded-For (a reverse proxy in front sets it); otherwise the connection's address counts. */
  trustProxy: e.MEDGPT_TRUST_PROXY,
  /** Asks per minute per anonymous client address and per API key; 0 turns a limit off. */
  askRateLimit: e.MEDGPT_ASK_RATE_LIMIT,
  keyRateLimit: e.MEDGPT_KEY_RATE_LIMIT,
  /** Generations in flight at most; a short queue waits behind them, beyond it 503 busy. */
  askMaxConcurrent: e.MEDGPT_ASK_MAX_CONCURRENT,
  /** Close anonymous use of /api/ask: every call needs an API key. */
  askRequireKey: e.MEDGPT_ASK_REQUIRE_KEY,
  /** Let the case text and options through the logs' redaction (secrets are always redacted). */
  logCaseText: e.MEDGPT_LOG_CASE_TEXT,
  logLevel: e.MEDGPT_LOG_LEVEL,
  /** Human-readable logs (pino-pretty, when installed) outside production; JSON lines in production. */
  prettyLogs: e.NODE_ENV !== "production",
  /** A second bearer for GET /api/metrics (a Prometheus scraper), besides the admin's credentials; secret. */
  metricsToken: e.MEDGPT_METRICS_TOKEN,
  /** Confidence bands shown to clinicians (lib/confidence.ts explains the defaults). */
  confidence: { high: e.MEDGPT_CONFIDENCE_HIGH, moderate: e.MEDGPT_CONFIDENCE_MODERATE },
  /** What the model picker says about each model: the defaults, overridden or extended by MEDGPT_MODEL_CATALOGUE. */
  modelCatalogue: { ...DEFAULT_CATALOGUE, ...e.MEDGPT_MODEL_CATALOGUE },
  dbPath: e.MEDGPT_DB_PATH,
  /** undefined: the admin area is disabled (never open). */
  adminToken: e.ADMIN_TOKEN,
  evalConcurrency: e.MEDGPT_EVAL_CONCURRENCY,
  judgeConcurrency: e.MEDGPT_JUDGE_CONCURRENCY,
  /** Default judge for new runs: none or <provider>:<model>. */
  defaultJudge: e.MEDGPT_JUDGE ?? (e.GROQ_API_KEY ? `groq:${DEFAULT_GROQ_JUDGE_MODEL}` : "none"),
  groq: { apiKey: e.GROQ_API_KEY, baseUrl: e.GROQ_BASE_URL },
  /** Set only when both WANDB_API_KEY and WEAVE_PROJECT are. */
  weave:
    e.WANDB_API_KEY && e.WEAVE_PROJECT
      ? { apiKey: e.WANDB_API_KEY, project: e.WEAVE_PROJECT, traceServerUrl: e.WF_TRACE_SERVER_URL }
      : null,
  hfDatasetsUrl: e.MEDGPT_HF_DATASETS_URL.replace(/\/+$/, ""),
  backend: e.MEDGPT_BACKEND,
  openai: { baseUrl: e.OPENAI_BASE_URL.replace(/\/+$/, ""), apiKey: e.OPENAI_API_KEY },
  embedded: {
    gguf: e.MEDGPT_GGUF,
    modelsDir: e.MEDGPT_MODELS_DIR,
    registryUrl: e.MEDGPT_REGISTRY_URL.replace(/\/+$/, ""),
    /** In auto/embedded mode without a GGUF, pull MEDGPT_MODEL from the Ollama registry in the background. */
    autoPull: e.MEDGPT_AUTO_PULL,
    gpu: e.MEDGPT_EMBEDDED_GPU === "auto" ? ("auto" as const) : (false as const),
    sequences: e.MEDGPT_EMBEDDED_SEQUENCES,
    contextSize: e.MEDGPT_EMBEDDED_CONTEXT,
    threads: e.MEDGPT_EMBEDDED_THREADS,
    queueLimit: e.MEDGPT_EMBEDDED_QUEUE_LIMIT,
  },
}));

export type AppConfig = z.output<typeof ConfigSchema>;

/** Groq's current production model; Mixtral and the Llama 3.x models of the earlier version are retired. */
export const DEFAULT_GROQ_JUDGE_MODEL = "openai/gpt-oss-120b";

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Variables whose value is a credential (ADMIN_TOKEN, GROQ_API_KEY, …): never printed. */
export function isSecretEnvName(name: string): boolean {
  return /(_KEY|_TOKEN|_SECRET|PASSWORD)$/i.test(name);
}

/** A variable's value as a ConfigError shows it: quoted, or for a credential only its length, so logs do not leak it. */
function shownValue(name: string, value: string): string {
  return isSecretEnvName(name)
    ? `(set, ${value.length} character${value.length === 1 ? "" : "s"})`
    : JSON.stringify(value);
}

/** Parses an environment (process.env by default). Throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  // Empty strings mean "unset" so that `FOO=` in an env file falls back to the default.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = ConfigSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const name = String(i.path[0] ?? "environment");
      return `  ${name}=${shownValue(name, env[name] ?? "")}: ${i.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}\nSee the configuration table in README.md.`);
  }
  return parsed.data;
}

let cached: AppConfig | undefined;
/** The process's configuration, parsed once. */
export function getConfig(): AppConfig {
  cached ??= loadConfig();
  return cached;
}
