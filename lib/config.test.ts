import { describe, expect, it } from "vitest";
import { ConfigError, isSecretEnvName, loadConfig } from "@/lib/config";

/** What a bad environment produces: the ConfigError message (fails the test if loadConfig accepts it). */
function configError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe("loadConfig", () => {
  it("an empty environment gives the documented defaults", () => {
    expect(loadConfig({})).toMatchObject({
      defaultModel: "mrizwank97/medgpt",
      ollamaHost: "http://127.0.0.1:11434",
      promptFormats: {},
      maxTokens: 1024,
      numCtx: undefined,
      topP: undefined,
      upstreamTimeoutMs: 120_000,
      logCaseText: false,
    });
  });

  it("empty strings count as unset (FOO= in an env file)", () => {
    expect(loadConfig({ OLLAMA_HOST: "", MEDGPT_MAX_TOKENS: "", MEDGPT_MODEL: "" })).toMatchObject({
      ollamaHost: "http://127.0.0.1:11434",
      maxTokens: 1024,
      defaultModel: "mrizwank97/medgpt",
    });
  });

  it("reads every variable", () => {
    expect(
      loadConfig({
        MEDGPT_MODEL: " gemma2:2b ",
        OLLAMA_HOST: "https://ollama.internal:8443/",
        MEDGPT_PROMPT_FORMATS: "mymodel=medgpt-raw, other:7b=chat",
        MEDGPT_MAX_TOKENS: "2048",
        MEDGPT_NUM_CTX: "8192",
        MEDGPT_TOP_P: "0.9",
        MEDGPT_UPSTREAM_TIMEOUT_MS: "300",
        MEDGPT_LOG_CASE_TEXT: "yes",
      }),
    ).toMatchObject({
      defaultModel: "gemma2:2b",
      ollamaHost: "https://ollama.internal:8443",
      promptFormats: { mymodel: "medgpt-raw", "other:7b": "chat" },
      maxTokens: 2048,
      numCtx: 8192,
      topP: 0.9,
      upstreamTimeoutMs: 300,
      logCaseText: true,
    });
  });

  it.each([
    ["ollama:11434", "http://ollama:11434"],
    ["127.0.0.1:11434", "http://127.0.0.1:11434"],
    ["localhost:11434", "http://localhost:11434"],
    ["http://127.0.0.1:11434/", "http://127.0.0.1:11434"],
  ])("OLLAMA_HOST=%s is accepted as %s (Ollama's CLI accepts a bare host:port)", (value, expected) => {
    expect(loadConfig({ OLLAMA_HOST: value }).ollamaHost).toBe(expected);
  });

  it.each([
    ["1", true],
    ["true", true],
    ["on", true],
    ["0", false],
    ["false", false],
    ["no", false],
    ["off", false],
  ])("MEDGPT_LOG_CASE_TEXT=%s → %s", (value, expected) => {
    expect(loadConfig({ MEDGPT_LOG_CASE_TEXT: value }).logCaseText).toBe(expected);
  });

  it.each([
    ["OLLAMA_HOST", "http://"],
    ["OLLAMA_HOST", ":"],
    ["MEDGPT_MAX_TOKENS", "abc"],
    ["MEDGPT_MAX_TOKENS", "0"],
    ["MEDGPT_MAX_TOKENS", "5000"],
    ["MEDGPT_MAX_TOKENS", "1.5"],
    ["MEDGPT_NUM_CTX", "-1"],
    ["MEDGPT_TOP_P", "0"],
    ["MEDGPT_TOP_P", "1.5"],
    ["MEDGPT_UPSTREAM_TIMEOUT_MS", "soon"],
    ["MEDGPT_LOG_CASE_TEXT", "maybe"],
    ["MEDGPT_PROMPT_FORMATS", "foo=bar"],
    ["MEDGPT_PROMPT_FORMATS", "justamodel"],
    ["MEDGPT_PROMPT_FORMATS", "a=chat,a=medgpt-raw"],
  ])("%s=%s is a ConfigError naming the variable and its value", (name, value) => {
    const message = configError({ [name]: value });
    expect(message).toContain(`${name}=${JSON.stringify(value)}`);
    expect(message).toContain("README");
  });

  it("a bad ADMIN_TOKEN is named with its length, never its value", () => {
    const message = configError({ ADMIN_TOKEN: "hunter2-secret" });
    expect(message).toContain("ADMIN_TOKEN=(set, 14 characters)");
    expect(message).toMatch(/at least 16 characters/);
    expect(message).not.toContain("hunter2");
  });

  it("a bad OPENAI_API_KEY is not printed either", () => {
    const message = configError({ OPENAI_API_KEY: " \t " });
    expect(message).toContain("OPENAI_API_KEY=(set, 3 characters)");
    expect(message).not.toContain(JSON.stringify(" \t "));
  });

  it("secrets stay hidden when reported next to an ordinary bad variable, which is still quoted", () => {
    const message = configError({ ADMIN_TOKEN: "x", MEDGPT_MAX_TOKENS: "lots" });
    expect(message).toContain("ADMIN_TOKEN=(set, 1 character)");
    expect(message).toContain('MEDGPT_MAX_TOKENS="lots"');
  });

  it.each([
    ["ADMIN_TOKEN", true],
    ["GROQ_API_KEY", true],
    ["WANDB_API_KEY", true],
    ["OPENAI_API_KEY", true],
    ["SOME_CLIENT_SECRET", true],
    ["DB_PASSWORD", true],
    ["MEDGPT_MAX_TOKENS", false],
    ["OLLAMA_HOST", false],
    ["WEAVE_PROJECT", false],
  ])("%s is a secret: %s", (name, secret) => {
    expect(isSecretEnvName(name)).toBe(secret);
  });

  it("the OLLAMA_HOST error says what is expected", () => {
    expect(configError({ OLLAMA_HOST: "http://" })).toMatch(/http\(s\) URL/);
  });

  /** Any explicit scheme is kept, so a non-http one is rejected at start instead of being read as a host name. */
  it.each(["ftp://x", "file:///etc/passwd", "unix:///var/run/ollama.sock"])(
    "OLLAMA_HOST=%s (not http) is a ConfigError",
    (value) => {
      expect(configError({ OLLAMA_HOST: value })).toContain("OLLAMA_HOST=");
    },
  );

  /** The scheme is case-insensitive. */
  it("OLLAMA_HOST with an upper-case scheme is used as given", () => {
    expect(loadConfig({ OLLAMA_HOST: "HTTP://127.0.0.1:11434" }).ollamaHost.toLowerCase()).toBe(
      "http://127.0.0.1:11434",
    );
  });

  /** Like Ollama and its clients, a scheme-less OLLAMA_HOST without a port gets 11434 (OLLAMA_HOST=ollama in compose). */
  it.each([
    ["ollama", "http://ollama:11434"],
    ["0.0.0.0", "http://0.0.0.0:11434"],
  ])("OLLAMA_HOST=%s without a port gets Ollama's default port (%s)", (value, expected) => {
    expect(loadConfig({ OLLAMA_HOST: value }).ollamaHost).toBe(expected);
  });

  it("the MEDGPT_PROMPT_FORMATS error names the bad entry and the valid formats", () => {
    const message = configError({ MEDGPT_PROMPT_FORMATS: "ok=chat,foo=bar" });
    expect(message).toContain("foo=bar");
    expect(message).toMatch(/medgpt-raw/);
  });

  it("names every bad variable at once", () => {
    const message = configError({ OLLAMA_HOST: "http://", MEDGPT_MAX_TOKENS: "abc", MEDGPT_LOG_CASE_TEXT: "maybe" });
    expect(message).toContain("OLLAMA_HOST=");
    expect(message).toContain("MEDGPT_MAX_TOKENS=");
    expect(message).toContain("MEDGPT_LOG_CASE_TEXT=");
  });

  it("confidence bands: defaults 0.8 and 0.5; moderate must stay below high", () => {
    expect(loadConfig({}).confidence).toEqual({ high: 0.8, moderate: 0.5 });
    expect(loadConfig({ MEDGPT_CONFIDENCE_HIGH: "0.9", MEDGPT_CONFIDENCE_MODERATE: "0.6" }).confidence).toEqual({
      high: 0.9,
      moderate: 0.6,
    });
    expect(configError({ MEDGPT_CONFIDENCE_HIGH: "1.5" })).toMatch(/MEDGPT_CONFIDENCE_HIGH="1.5"/);
    expect(configError({ MEDGPT_CONFIDENCE_HIGH: "0.4" })).toMatch(/MEDGPT_CONFIDENCE_MODERATE=.*must be below/);
  });

  it("the model catalogue: the two known models by default; MEDGPT_MODEL_CATALOGUE adds and overrides", () => {
    expect(loadConfig({}).modelCatalogue["gemma2:2b"]).toMatchObject({ comparison: true });
    const c = loadConfig({ MEDGPT_MODEL_CATALOGUE: '{"qwen3:8b": {"label": "Qwen 3 8B"}}' }).modelCatalogue;
    expect(c["qwen3:8b"]).toEqual({ label: "Qwen 3 8B", description: "", comparison: false });
    expect(c["mrizwank97/medgpt"]?.label).toBe("MedGPT");
    expect(configError({ MEDGPT_MODEL_CATALOGUE: "{not json" })).toMatch(/MEDGPT_MODEL_CATALOGUE=.*must be JSON/);
    expect(configError({ MEDGPT_MODEL_CATALOGUE: '{"x": {"description": "no label"}}' })).toMatch(
      /MEDGPT_MODEL_CATALOGUE/,
    );
  });

  it("logs and metrics: level info by default, any pino level or silent; JSON in production, readable elsewhere", () => {
    expect(loadConfig({})).toMatchObject({ logLevel: "info", metricsToken: undefined, prettyLogs: true });
    for (const level of ["trace", "debug", "info", "warn", "error", "fatal", "silent"])
      expect(loadConfig({ MEDGPT_LOG_LEVEL: level }).logLevel).toBe(level);
    expect(configError({ MEDGPT_LOG_LEVEL: "verbose" })).toMatch(/MEDGPT_LOG_LEVEL="verbose": must be one of trace/);
    expect(loadConfig({ NODE_ENV: "production" }).prettyLogs).toBe(false);
    expect(loadConfig({ NODE_ENV: "development" }).prettyLogs).toBe(true);
  });

  it("MEDGPT_METRICS_TOKEN: 16+ characters, a secret never printed", () => {
    expect(loadConfig({ MEDGPT_METRICS_TOKEN: "scrape-token-0123456789" }).metricsToken).toBe(
      "scrape-token-0123456789",
    );
    const message = configError({ MEDGPT_METRICS_TOKEN: "short-secret" });
    expect(message).toContain("MEDGPT_METRICS_TOKEN=(set, 12 characters)");
    expect(message).toMatch(/at least 16 characters/);
    expect(message).not.toContain("short-secret");
  });

  it("ignores unrelated variables", () => {
    expect(loadConfig({ PATH: "/usr/bin", NODE_ENV: "production" }).maxTokens).toBe(1024);
  });
});
