import path from "node:path";
import { describe, expect, it } from "vitest";
import { filesMatching, packagesMatching, reach, ROOT } from "@/test-support/import-graph";

/**
 * What the clinician page's browser code can reach through its static imports: never zod (about 32 kB of first-load
 * JavaScript; the page reads answers with lib/schemas/read-ask.ts), never recharts, never server-only code.
 * bench/bundle-size.ts measures the result; this keeps it from creeping back.
 */

/** The page's client entry points: its "use client" components and the root layout's providers. */
const ENTRIES = ["components/ask/ask-form.tsx", "components/ask/backend-banner.tsx", "components/providers.tsx"];

describe("the clinician page's browser code", () => {
  const { files, packages } = reach(ENTRIES);

  it("reaches the modules it is expected to (the walk itself works)", () => {
    const reached = [...files.keys()].map((f) => path.relative(ROOT, f));
    expect(reached).toEqual(
      expect.arrayContaining(["components/ask/validate.ts", "lib/ask/client.ts", "lib/schemas/read-ask.ts"]),
    );
    expect([...packages.keys()]).toEqual(expect.arrayContaining(["react", "@tanstack/react-query"]));
  });

  it("never imports zod, recharts or server-only code", () => {
    expect(packagesMatching(packages, /^(zod|recharts|server-only|node:|better-sqlite3|next\/headers)/)).toEqual([]);
  });

  it("never imports a zod schema module of lib/schemas, nor the server's error table", () => {
    expect(
      filesMatching(files, /^lib\/(schemas\/(ask|options|service|model-name)\.ts|errors\.ts|config\.ts)$/),
    ).toEqual([]);
  });
});
