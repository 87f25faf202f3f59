import next from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...next,
  ...nextTs,
  {
    ignores: [
      ".tmp*",
      ".next/**",
      "node_modules/**",
      "data/**",
      "test-results/**",
      "playwright-report/**",
      "e2e-artifacts/**",
      "next-env.d.ts",
    ],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read configuration through lib/config.ts." },
      ],
    },
  },
  {
    // The config module, tooling and tests may read the environment directly.
    files: [
      "lib/config.ts",
      "**/*.test.ts",
      "e2e/**",
      "test-support/**",
      "bench/**",
      "playwright.config.ts",
      "eval/cli.ts",
      "instrumentation.ts",
      "proxy.ts",
      "eval/mirror/worker.mjs",
    ],
    rules: { "no-restricted-properties": "off" },
  },
  {
    // Layers: app/ → components/ and eval/ → lib/. Nothing imports upward (ARCHITECTURE.md, README "Overview").
    files: ["lib/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/eval", "@/eval/*", "**/eval/*"],
              message: "lib/ never imports eval/: evaluation builds on lib, not the other way round.",
            },
            {
              group: ["@/app", "@/app/*", "@/components", "@/components/*"],
              message: "lib/ never imports app/ or components/.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["eval/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/app", "@/app/*", "@/components", "@/components/*"],
              message: "eval/ never imports app/ or components/.",
            },
          ],
        },
      ],
    },
  },
  {
    // An area never reaches into another area's folder; what both use lives in components/ui/.
    files: ["components/admin/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@/components/ask/*", "../ask/*"], message: "Shared building blocks live in components/ui/." },
          ],
        },
      ],
    },
  },
  {
    files: ["components/ask/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/components/admin/*", "../admin/*"],
              message: "Shared building blocks live in components/ui/.",
            },
          ],
        },
      ],
    },
  },
];

export default config;
