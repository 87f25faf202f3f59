#!/usr/bin/env node
// Launcher for the Ollama stand-in CLI on plain Node 20 (no tsx, no --experimental-strip-types):
//   node test-support/ollama-standin-launch.mjs --port 11434 [--token-delay 20]
// It registers a tiny TypeScript loader (ollama-standin-ts-loader.mjs, using the project's `typescript`)
// and then runs test-support/ollama-standin-cli.ts, which starts the server because argv[1] is this file.
import { register } from "node:module";

register("./ollama-standin-ts-loader.mjs", import.meta.url);
await import("./ollama-standin-cli.ts");
