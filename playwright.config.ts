import { defineConfig } from "@playwright/test";
import os from "node:os";
import path from "node:path";

/**
 * End-to-end tests drive Debian's Chromium (Playwright's own browser download is unavailable here) against
 * the production build (the standalone server of `npm start`) wired to the Ollama stand-in. Ports are fixed and unusual so that a
 * developer's real Ollama on 11434 or app on 3000 is never touched.
 */
// E2E_PORT_OFFSET moves all three ports, so that two checkouts on one machine can run their suites side by side.
const OFFSET = Number(process.env.E2E_PORT_OFFSET ?? 0);
export const STANDIN_PORT = 11599 + OFFSET;
export const APP_PORT = 3199 + OFFSET;
/** A second server with no model anywhere: no Ollama, no GGUF, and an offline registry. */
export const NO_MODEL_PORT = 3198 + OFFSET;
const CLOSED_PORT = 9; // discard: nothing listens, so connections are refused at once
/** The dashboard's token in end-to-end runs; never a real secret. */
export const E2E_ADMIN_TOKEN = "e2e-admin-token-0123456789";
/** A fresh database per end-to-end run, outside the repository's data/. */
const E2E_DB = path.join(os.tmpdir(), `medgpt-e2e-${process.pid}.db`);

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  use: {
    baseURL: `http://127.0.0.1:${APP_PORT}`,
    browserName: "chromium",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  webServer: [
    {
      command: `npx tsx test-support/ollama-standin-cli.ts --port ${STANDIN_PORT} --token-delay 15`,
      url: `http://127.0.0.1:${STANDIN_PORT}/api/version`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      // The standalone server is what `npm start` and the Docker image run.
      command: "node .next/standalone/server.js",
      url: `http://127.0.0.1:${APP_PORT}/api/openapi.json`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: {
        PORT: String(APP_PORT),
        HOSTNAME: "127.0.0.1",
        OLLAMA_HOST: `http://127.0.0.1:${STANDIN_PORT}`,
        MEDGPT_MODEL: "mrizwank97/medgpt",
        ADMIN_TOKEN: E2E_ADMIN_TOKEN,
        MEDGPT_DB_PATH: E2E_DB,
        MEDGPT_JUDGE: "none",
        // The "Ollama is down" test expects Ollama's error, not a fallback to the embedded engine.
        MEDGPT_BACKEND: "ollama",
        // One browser on 127.0.0.1 asks far more than 30 questions a minute across the suites.
        MEDGPT_ASK_RATE_LIMIT: "0",
      },
    },
    {
      command: "node .next/standalone/server.js",
      url: `http://127.0.0.1:${NO_MODEL_PORT}/api/openapi.json`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: {
        PORT: String(NO_MODEL_PORT),
        HOSTNAME: "127.0.0.1",
        MEDGPT_BACKEND: "auto",
        OLLAMA_HOST: `http://127.0.0.1:${CLOSED_PORT}`,
        MEDGPT_REGISTRY_URL: `http://127.0.0.1:${CLOSED_PORT}`,
        MEDGPT_MODELS_DIR: path.join(os.tmpdir(), `medgpt-e2e-models-${process.pid}`),
        MEDGPT_DB_PATH: path.join(os.tmpdir(), `medgpt-e2e-nomodel-${process.pid}.db`),
      },
    },
  ],
});
