/**
 * npm run model:pull -- <name> [--cache-dir DIR] [--registry URL] [--refresh]
 *
 * Downloads a model's GGUF from an Ollama registry into the cache (resumable, verified) and prints its path
 * on the last line of stdout. Progress goes to stderr: a bar on a terminal, a line per 10% otherwise.
 * Run with `tsx --conditions=react-server` (makes `import "server-only"` a no-op outside Next).
 */
import { parseArgs } from "node:util";
import { AppError } from "@/lib/errors";
import { DEFAULT_CACHE_DIR, pullModel } from "./registry";

const USAGE =
  "usage: npm run model:pull -- <name> [--cache-dir DIR] [--registry URL] [--refresh]\n  e.g. npm run model:pull -- mrizwank97/medgpt";

const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

function progressPrinter(tty: boolean) {
  const started = Date.now();
  let lastDecile = -1;
  let lastDraw = 0;
  return (received: number, total: number) => {
    const fraction = total > 0 ? received / total : 0;
    if (tty) {
      const now = Date.now();
      if (now - lastDraw < 100 && received < total) return;
      lastDraw = now;
      const width = 30;
      const filled = Math.round(fraction * width);
      const rate = received / Math.max(0.001, (now - started) / 1000);
      process.stderr.write(
        `\r[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${mb(received)} / ${mb(total)} ${mb(rate)}/s `,
      );
      if (received >= total) process.stderr.write("\n");
    } else {
      const decile = Math.floor(fraction * 10);
      if (decile !== lastDecile) {
        lastDecile = decile;
        process.stderr.write(`downloading: ${decile * 10}% (${mb(received)} of ${mb(total)})\n`);
      }
    }
  };
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        "cache-dir": { type: "string" },
        registry: { type: "string" },
        refresh: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const name = positionals[0]!;
  const controller = new AbortController();
  process.once("SIGINT", () => controller.abort());
  const cacheDir = values["cache-dir"] ?? DEFAULT_CACHE_DIR;
  process.stderr.write(`pulling ${name} into ${cacheDir}\n`);
  try {
    const file = await pullModel(name, {
      cacheDir,
      ...(values.registry && { registryBaseUrl: values.registry }),
      refresh: values.refresh ?? false,
      signal: controller.signal,
      onProgress: progressPrinter(Boolean(process.stderr.isTTY)),
    });
    process.stderr.write("verified (size and sha256)\n");
    process.stdout.write(`${file}\n`);
    return 0;
  } catch (err) {
    if (controller.signal.aborted) {
      process.stderr.write("\ninterrupted; run the same command again to resume\n");
      return 130;
    }
    if (err instanceof AppError) {
      process.stderr.write(`\nerror: ${err.message}\nfix: ${err.fix}\n`);
    } else {
      process.stderr.write(`\nerror: ${err instanceof Error ? err.message : String(err)}\n`);
    }
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
