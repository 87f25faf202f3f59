import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { config, contentSecurityPolicy, proxy } from "./proxy";

describe("proxy: before every request", () => {
  it("an undecodable path is a 400 JSON error, not Next's plain-text 500", async () => {
    for (const path of ["/api/runs/%ZZ", "/api/%", "/admin/runs/%E0%A4%A"]) {
      const res = proxy(new NextRequest(`http://localhost${path}`));
      expect(res.status, path).toBe(400);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("invalid_request");
    }
  });

  it("every answer carries the security headers, and a page's CSP allows only scripts with this request's nonce", () => {
    const res = proxy(new NextRequest("http://localhost/"));
    const csp = res.headers.get("content-security-policy")!;
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    expect(nonce.length).toBeGreaterThan(20);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(csp).not.toContain("unsafe-eval");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(res.headers.get("permissions-policy")).toContain("camera=()");
    // A fresh nonce per request.
    const again = proxy(new NextRequest("http://localhost/")).headers.get("content-security-policy")!;
    expect(again).not.toBe(csp);
  });

  it("an API request gets the JSON policy (nothing loads, never framed), not a page's nonce", () => {
    const res = proxy(new NextRequest("http://localhost/api/health"));
    expect(res.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("an API request gets its request id: a sane X-Request-Id is kept, anything else replaced; forwarded to the route and answered", async () => {
    const kept = proxy(new NextRequest("http://localhost/api/health", { headers: { "x-request-id": "trace-1.a_b" } }));
    expect(kept.headers.get("x-request-id")).toBe("trace-1.a_b");
    // NextResponse.next({ request: { headers } }) hands the route the overridden request headers this way.
    expect(kept.headers.get("x-middleware-request-x-request-id")).toBe("trace-1.a_b");
    const replaced = proxy(new NextRequest("http://localhost/api/health", { headers: { "x-request-id": "a b" } }));
    const id = replaced.headers.get("x-request-id")!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(replaced.headers.get("x-middleware-request-x-request-id")).toBe(id);
    const bad = proxy(new NextRequest("http://localhost/api/runs/%ZZ"));
    expect(bad.status).toBe(400);
    expect(bad.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(proxy(new NextRequest("http://localhost/")).headers.get("x-request-id")).toBeNull();
  });

  it("requests with a body skip the proxy (Next would buffer the whole body first): matched by path and no body", () => {
    const api = config.matcher[1] as { source: string; missing: { key: string }[] };
    expect(api.source).toBe("/api/:path*");
    expect(api.missing.map((m) => m.key).sort()).toEqual(["content-length", "transfer-encoding"]);
    expect(config.matcher[0]).toBe("/((?!api/|_next/static|_next/image).*)");
  });

  it("development alone gets unsafe-eval (React's dev tooling needs it)", () => {
    expect(contentSecurityPolicy("n", true)).toContain("'unsafe-eval'");
    expect(contentSecurityPolicy("n", false)).not.toContain("'unsafe-eval'");
  });
});
