import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ADMIN_COOKIE, adminStateFromCookie, isValidToken, requireAdmin, sessionValue } from "./auth";
import { AppError } from "./errors";

const TOKEN = "unit-test-admin-token-7f3a9c";

beforeAll(() => {
  // Config is parsed once per module instance: set the environment before the first call.
  vi.stubEnv("ADMIN_TOKEN", TOKEN);
});
afterAll(() => {
  vi.unstubAllEnvs();
});

describe("sessionValue", () => {
  it("is a stable sha256 hex digest that never contains the token", () => {
    const v = sessionValue(TOKEN);
    expect(v).toMatch(/^[0-9a-f]{64}$/);
    expect(sessionValue(TOKEN)).toBe(v);
    expect(v).not.toContain(TOKEN);
    expect(sessionValue(`${TOKEN}x`)).not.toBe(v);
  });
});

describe("adminStateFromCookie with ADMIN_TOKEN set", () => {
  it("is admin for the session digest of the configured token", () => {
    expect(adminStateFromCookie(sessionValue(TOKEN))).toBe("admin");
  });

  it("is anonymous for a missing, empty, foreign or tampered cookie, and for the raw token", () => {
    const good = sessionValue(TOKEN);
    for (const cookie of [
      undefined,
      null,
      "",
      TOKEN,
      sessionValue("another-token-of-16-chars"),
      good.toUpperCase(),
      good.slice(1),
      `${good}0`,
      ` ${good}`,
      `${good.slice(0, -1)}${good.endsWith("0") ? "1" : "0"}`,
    ]) {
      expect(adminStateFromCookie(cookie), JSON.stringify(cookie)).toBe("anonymous");
    }
  });
});

describe("isValidToken / requireAdmin with ADMIN_TOKEN set", () => {
  it("accepts exactly the configured token", () => {
    expect(isValidToken(TOKEN)).toBe(true);
    expect(isValidToken(`${TOKEN} `)).toBe(false);
    expect(isValidToken(TOKEN.slice(0, -1))).toBe(false);
    expect(isValidToken("")).toBe(false);
  });

  it("requireAdmin passes a bearer or a cookie and throws unauthorized otherwise", () => {
    const req = (headers: Record<string, string>) => new Request("http://localhost/api/runs", { headers });
    expect(() => requireAdmin(req({ authorization: `Bearer ${TOKEN}` }))).not.toThrow();
    expect(() => requireAdmin(req({ cookie: `${ADMIN_COOKIE}=${sessionValue(TOKEN)}` }))).not.toThrow();
    const anonymous: Record<string, string>[] = [
      {},
      { authorization: "Bearer nope-nope-nope-nope" },
      { cookie: `${ADMIN_COOKIE}=${TOKEN}` },
    ];
    for (const headers of anonymous) {
      let thrown: unknown;
      try {
        requireAdmin(req(headers));
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(AppError);
      expect((thrown as AppError).code).toBe("unauthorized");
      expect((thrown as AppError).status).toBe(401);
    }
  });
});

describe("adminStateFromCookie without ADMIN_TOKEN", () => {
  it("is disabled for every cookie, even the digest that was valid under a token (never open)", async () => {
    vi.resetModules(); // a fresh config module, so the changed environment is read again
    vi.stubEnv("ADMIN_TOKEN", "");
    try {
      const fresh = await import("./auth");
      for (const cookie of [undefined, null, "", sessionValue(TOKEN), sessionValue(""), TOKEN]) {
        expect(fresh.adminStateFromCookie(cookie)).toBe("disabled");
      }
      expect(fresh.isValidToken(TOKEN)).toBe(false);
      expect(fresh.isValidToken("")).toBe(false);
      let thrown: unknown;
      try {
        fresh.requireAdmin(new Request("http://localhost/api/runs", { headers: { authorization: `Bearer ${TOKEN}` } }));
      } catch (err) {
        thrown = err;
      }
      expect((thrown as { code?: string }).code).toBe("admin_disabled");
    } finally {
      vi.stubEnv("ADMIN_TOKEN", TOKEN);
    }
  });
});
