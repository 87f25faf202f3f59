/**
 * Ollama stand-in as a process, for Playwright's webServer, manual runs and benchmarks.
 *
 *   npm run standin -- --port 11434 [--token-delay 20] [--host 127.0.0.1]
 *        [--models mrizwank97/medgpt:latest,gemma2:2b] [--recordings PATH|none] [--fault '{"kind":"http500"}']
 *   (= npx tsx test-support/ollama-standin-cli.ts …; Playwright's webServer starts it the same way)
 * Another process switches faults through the same server:
 *   POST /__control {fault?, faultTimes?, tokenDelayMs?, models?, reset?, goDownForMs?} → 200 state JSON
 *   GET  /__control/stats → {aborted, completed, active};  GET /__control/requests;  POST /__control/reset
 */
import { parseFault, startOllamaStandin, type OllamaFault, type StandinOptions } from "./ollama-standin";

const USAGE =
  "usage: ollama-standin-cli [--port 11434] [--host 127.0.0.1] [--token-delay MS] [--models a,b] [--recordings PATH|none] [--fault JSON|KIND]";

export function parseCliArgs(argv: string[]): { options: StandinOptions; fault: OllamaFault | null } {
  const options: StandinOptions = { port: 11434 };
  let fault: OllamaFault | null = null;
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i] ?? "";
    const eq = raw.indexOf("=");
    const flag = raw.startsWith("--") && eq > 0 ? raw.slice(0, eq) : raw;
    const value = () => {
      if (raw.startsWith("--") && eq > 0) return raw.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    const num = (v: string) => {
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0) throw new Error(`${flag}: not a non-negative number: ${v}`);
      return n;
    };
    switch (flag) {
      case "--port":
        options.port = Math.trunc(num(value()));
        break;
      case "--host":
        options.host = value();
        break;
      case "--token-delay":
        options.tokenDelayMs = num(value());
        break;
      case "--models":
        options.models = value()
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean);
        break;
      case "--recordings": {
        const v = value();
        options.recordingsPath = v === "none" ? null : v;
        break;
      }
      case "--fault": {
        const v = value();
        fault = parseFault(v.trim().startsWith("{") ? (JSON.parse(v) as unknown) : v);
        break;
      }
      case "-h":
      case "--help":
        throw new Error(USAGE);
      default:
        throw new Error(`unknown argument ${raw}\n${USAGE}`);
    }
  }
  return { options, fault };
}

export async function main(argv: string[]): Promise<void> {
  let parsed: ReturnType<typeof parseCliArgs>;
  try {
    parsed = parseCliArgs(argv);
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(2);
  }
  const standin = await startOllamaStandin(parsed.options);
  if (parsed.fault) standin.setFault(parsed.fault);
  console.log(`ollama stand-in listening on ${standin.url} (control: POST ${standin.url}/__control)`);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`ollama stand-in: ${signal}, stopping`);
    void standin.stop().then(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

const isEntry = (() => {
  const entry = process.argv[1] ?? "";
  return /ollama-standin-cli\.ts$/.test(entry);
})();

if (isEntry) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    const err = e as NodeJS.ErrnoException;
    if (err?.code === "EADDRINUSE")
      console.error(`ollama stand-in: port already in use (${err.message}); is a real Ollama running?`);
    else console.error(e);
    process.exit(1);
  });
}
