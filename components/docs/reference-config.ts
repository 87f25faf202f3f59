import type { AnyApiReferenceConfiguration } from "@scalar/api-reference-react";
import type { AskRequestInput } from "@/lib/schemas/ask";

/**
 * What the interactive reference on /docs is given: the OpenAPI document (with example bodies added for
 * POST /api/ask) and Scalar's settings. Pure, so that a test can check that nothing in it points at another host.
 */

/** An example case for "Try it": a request the server accepts as it is (checked in reference-config.test.ts). */
const EXAMPLE_CASE: AskRequestInput = {
  case: "A 14-year-old boy has polyuria, polydipsia and weight loss; glucose 412 mg/dL with ketonuria. What is the mechanism?",
  options: {
    A: "Insulin resistance",
    B: "Autoimmune beta-cell destruction",
    C: "Excess cortisol",
    D: "ADH deficiency",
  },
};

/** Named as Scalar's example picker shows them; the first is the one "Try it" starts with. */
export const ASK_EXAMPLES: Record<string, { summary: string; value: AskRequestInput }> = {
  json: { summary: "One JSON answer", value: { ...EXAMPLE_CASE, stream: false } },
  stream: { summary: "Streaming (server-sent events)", value: { ...EXAMPLE_CASE, stream: true } },
};

type Document = Record<string, unknown>;
/** One reference with one document (Scalar also takes lists of them). */
export type ReferenceConfiguration = Exclude<AnyApiReferenceConfiguration, readonly unknown[]>;

/** The tag given to the operations the document leaves untagged (asking, models, health): shown first. */
export const UNTAGGED = "questions and service";
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/**
 * The document as the reference shows it: a copy with two additions for reading, nothing removed or changed.
 * - Example bodies on POST /api/ask, so that "Try it" starts from a request the server accepts rather than one
 *   generated from the schema (an empty case would be refused).
 * - A tag on every untagged operation: Scalar lists untagged operations after all tagged ones, which would put
 *   POST /api/ask below the whole evaluation API. As /api/ask is the first path, its tag comes first.
 */
export function forReference(document: Document): Document {
  const copy = structuredClone(document);
  const media = dig(copy, ["paths", "/api/ask", "post", "requestBody", "content", "application/json"]);
  if (media) media.examples = structuredClone(ASK_EXAMPLES);
  for (const pathItem of Object.values(dig(copy, ["paths"]) ?? {})) {
    for (const method of METHODS) {
      const operation = dig(pathItem, [method]);
      if (operation && !(Array.isArray(operation.tags) && operation.tags.length > 0)) operation.tags = [UNTAGGED];
    }
  }
  return copy;
}

function dig(value: unknown, keys: string[]): Record<string, unknown> | undefined {
  let at = value;
  for (const key of keys) {
    if (typeof at !== "object" || at === null) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return typeof at === "object" && at !== null ? (at as Record<string, unknown>) : undefined;
}

/**
 * Scalar's settings for a reference served by `origin` (the page's own, `window.location.origin`): "Try it" sends
 * to that origin directly, and everything that would reach another host is off.
 */
export function referenceConfiguration(origin: string, document: Document): ReferenceConfiguration {
  return {
    content: document,
    // "Try it" goes to the server that served the page, whatever the document says, and never through a proxy:
    // an empty proxy URL is "none" (left unset, Scalar's web client would default to proxy.scalar.com).
    servers: [{ url: origin, description: "This MedGPT server" }],
    baseServerURL: origin,
    proxyUrl: "",
    // Nothing fetched from or sent to Scalar's hosts: no web fonts (fonts.scalar.com), no analytics, no
    // "open in Scalar's client" link, no agent chat or MCP button (both talk to Scalar's API; on local
    // addresses Scalar enables the agent unless told not to), no developer toolbar.
    withDefaultFonts: false,
    telemetry: false,
    hideClientButton: true,
    showDeveloperTools: "never",
    agent: { disabled: true },
    mcp: { disabled: true },
    // The guide above links /api/openapi.json; this copy carries the "Try it" examples, so it is not offered.
    documentDownloadType: "none",
    // The app is light only: a dark reference under a light header would clash.
    forceDarkModeState: "light",
    hideDarkModeToggle: true,
    theme: "default",
    layout: "modern",
    defaultHttpClient: { targetKey: "shell", clientKey: "curl" },
  };
}
