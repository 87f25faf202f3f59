import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": fileURLToPath(new URL("./", import.meta.url)),
      // `server-only` throws outside a React Server bundle; under vitest we are the server.
      "server-only": fileURLToPath(new URL("./test-support/server-only-noop.ts", import.meta.url)),
    },
  },
  test: {
    exclude: ["node_modules/**", ".next/**", "e2e/**", "data/**"],
    // Route tests talk to stand-ins only; the default "auto" backend would fall back to the embedded engine
    // and start a registry download when a stand-in is down. Tests of auto mode set it explicitly.
    // In-process requests carry no client address, so they would all share one rate-limit budget: tests of the
    // limits set them explicitly.
    env: { MEDGPT_BACKEND: "ollama", MEDGPT_AUTO_PULL: "false", MEDGPT_ASK_RATE_LIMIT: "0" },
    testTimeout: 20000,
    hookTimeout: 30000,
    // Two projects because vitest 4 has no per-glob environment: the server suite in Node, the components'
    // render tests in a DOM. Both inherit everything above.
    projects: [
      { extends: true, test: { name: "node", include: ["**/*.test.ts"], environment: "node" } },
      {
        extends: true,
        test: {
          name: "dom",
          include: ["**/*.test.tsx"],
          environment: "jsdom",
          setupFiles: ["./components/test-setup.ts"],
        },
      },
    ],
  },
});
