import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "@/lib/openapi";
import { AskRequestSchema } from "@/lib/schemas/ask";
import { ASK_EXAMPLES, forReference, referenceConfiguration, UNTAGGED } from "./reference-config";

const ORIGIN = "https://medgpt.hospital.example:8443";

type Media = { examples?: Record<string, { value: unknown }> };
const askMedia = (doc: Record<string, unknown>) =>
  (doc as { paths: Record<string, { post: { requestBody: { content: Record<string, Media> } } }> }).paths["/api/ask"]!
    .post.requestBody.content["application/json"]!;

describe("the interactive reference on /docs", () => {
  it("offers POST /api/ask examples that the server accepts as they are, one per response mode", () => {
    const doc = forReference(buildOpenApiDocument([]));
    const examples = askMedia(doc).examples!;
    expect(Object.keys(examples)).toEqual(["json", "stream"]);
    const parsed = Object.values(examples).map((e) => AskRequestSchema.parse(e.value));
    expect(parsed.map((p) => p.stream)).toEqual([false, true]);
  });

  it("works on a copy: the served document is left as it is, and one without paths passes through", () => {
    const served = buildOpenApiDocument([]);
    const before = JSON.stringify(served);
    forReference(served);
    expect(JSON.stringify(served)).toBe(before);
    expect(askMedia(served).examples).toBeUndefined();
    expect(forReference({ openapi: "3.1.0", paths: {} })).toEqual({ openapi: "3.1.0", paths: {} });
    expect(forReference({ openapi: "3.1.0" })).toEqual({ openapi: "3.1.0" });
  });

  it("puts every untagged operation under one tag, listed first because POST /api/ask is the first path", () => {
    const served = buildOpenApiDocument([]);
    const shown = forReference(served) as { paths: Record<string, Record<string, { tags?: string[] }>> };
    const firstTags = Object.values(shown.paths).flatMap((item) => Object.values(item).map((op) => op.tags?.[0]));
    expect(Object.keys(shown.paths)[0]).toBe("/api/ask");
    expect(firstTags[0]).toBe(UNTAGGED);
    expect(firstTags.every((t) => typeof t === "string")).toBe(true);
    // Operations with tags keep them.
    expect(shown.paths["/api/admin/login"]!.post!.tags).toEqual(["admin session"]);
    // Path-level fields that are not operations are left alone.
    const withParameters = forReference({ paths: { "/x": { parameters: [], get: { tags: [] } } } }) as {
      paths: { "/x": { parameters: unknown; get: { tags: string[] } } };
    };
    expect(withParameters.paths["/x"]).toEqual({ parameters: [], get: { tags: [UNTAGGED] } });
  });

  it("aims Try it at the page's own origin with no proxy, and names no other host", () => {
    const config = referenceConfiguration(ORIGIN, { openapi: "3.1.0" });
    expect(config.servers).toEqual([{ url: ORIGIN, description: expect.any(String) }]);
    expect(config.baseServerURL).toBe(ORIGIN);
    // Left unset, Scalar's web client defaults to its hosted proxy (proxy.scalar.com); empty is "none".
    expect(config.proxyUrl).toBe("");
    const { content: _document, ...settings } = config;
    const urls = JSON.stringify(settings).match(/[a-z][a-z0-9+.-]*:\/\/[^"\\\s]+/gi) ?? [];
    expect(urls.every((url) => url === ORIGIN)).toBe(true);
    expect(settings).not.toHaveProperty("externalUrls");
  });

  it("turns off everything that fetches from or reports to Scalar's hosts", () => {
    const config = referenceConfiguration(ORIGIN, {});
    expect(config).toMatchObject({
      withDefaultFonts: false,
      telemetry: false,
      hideClientButton: true,
      showDeveloperTools: "never",
      agent: { disabled: true },
      mcp: { disabled: true },
    });
    expect(config).not.toHaveProperty("plugins");
    expect(config).not.toHaveProperty("pluginUrls");
    expect(config).not.toHaveProperty("url");
  });

  it("keeps the app's light look", () => {
    expect(referenceConfiguration(ORIGIN, {})).toMatchObject({ forceDarkModeState: "light", hideDarkModeToggle: true });
  });

  it("exports examples whose bodies are valid requests", () => {
    for (const { value } of Object.values(ASK_EXAMPLES)) expect(AskRequestSchema.safeParse(value).success).toBe(true);
  });
});
