import { config } from "zod/v4/core";

/**
 * Imported before Scalar (components/docs/scalar-reference.tsx). Scalar validates its configuration with zod, and
 * zod, on building its first object schema, probes whether it may compile parsers with `new Function`. Under the
 * app's Content-Security-Policy (no 'unsafe-eval') it may not, and zod falls back to its interpreter, but the probe
 * itself is reported as a CSP violation (`script-src` blocked `eval`). `jitless` is that same interpreter, chosen
 * up front: no probe, no violation, and no change in behaviour. The setting lives on `globalThis`, so it covers
 * every copy of zod in the page.
 */
config({ jitless: true });
