import next from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...next,
  ...nextTs,
  {
    ignores: [".tmp*", ".next/**", "node_modules/**", "data/**", "test-results/**", "playwright-report/**", "e2e-artifacts/**", "next-env.d.ts"],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read configuration through lib/config.ts." },
      ],
    },
  },
  {
    // The config module, tooling and tests may read the environment directly.
    files: ["lib/config.ts", "**/*.test.ts", "e2e/**", "test-support/**", "bench/**", "playwright.config.ts", "eval/cli.ts", "instrumentation.ts", "eval/mirror/worker.mjs"],
    rules: { "no-restricted-properties": "off" },
  },
];

export default config;
