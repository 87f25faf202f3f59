import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ADMIN_COOKIE, adminStateFromCookie, isValidToken, requireAdmin } from "./auth";
import { AppError } from "./errors";
import { getSecurityDb } from "./security/db";
import { createSession, expireSession, revokeSession } from "./security/sessions";

const TOKEN = "unit-test-admin-token-7f3a9c";
let tmp: string;

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "medgpt-authunit-"));
  // Config is parsed once per module instance: set the environment before the first call.
  vi.stubEnv("ADMIN_TOKEN", TOKEN);
  vi.stubEnv("MEDGPT_DB_PATH", path.join(tmp, "auth.db"));
});
afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(tmp, { recursive: true, force: true });
});

const db = () => getSecurityDb(path.join(tmp, "auth.db"));

function thrownBy(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    // By name: after vi.resetModules the class is another instance of AppError.
    expect((err as Error).name).toBe("AppError");
    return err as AppError;
  }
  throw new Error("expected a throw");
}

describe("sessions", () => {
  it("a new session is admin; every login makes a different, random id", () => {
    const a = createSession(db()).id;
    const b = createSession(db()).id;
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).not.toBe(b);
    expect(adminStateFromCookie(a)).toBe("admin");
    expect(adminStateFromCookie(b)).toBe("admin");
  });

  it("the server enforces expiry, whatever the cookie says", () => {
    const { id } = createSession(db());
    expireSession(db(), id, Date.now() - 1);
    expect(adminStateFromCookie(id)).toBe("anonymous");
  });

  it("revoking one session leaves the others", () => {
    const one = createSession(db()).id;
    const two = createSession(db()).id;
    revokeSession(db(), one);
    expect(adminStateFromCookie(one)).toBe("anonymous");
    expect(adminStateFromCookie(two)).toBe("admin");
  });

  it("a missing, empty, forged or tampered cookie, or the token itself, is not a session", () => {
    const good = createSession(db()).id;
    for (const cookie of [undefined, null, "", TOKEN, good.toUpperCase(), good.slice(1), `${good}0`, "0".repeat(64)]) {
      expect(adminStateFromCookie(cookie), JSON.stringify(cookie)).toBe("anonymous");
    }
  });
});

describe("requireAdmin", () => {
  const req = (headers: Record<string, string>, method = "GET", url = "http://localhost/api/runs") =>
    new Request(url, { method, headers });

  it("accepts exactly the configured token as a bearer", () => {
    expect(isValidToken(TOKEN)).toBe(true);
    expect(isValidToken(`${TOKEN} `)).toBe(false);
    expect(isValidToken("")).toBe(false);
    expect(requireAdmin(req({ authorization: `Bearer ${TOKEN}` }))).toEqual({ via: "bearer" });
  });

  it("a live session cookie passes; anything else is 401", () => {
    const id = createSession(db()).id;
    expect(requireAdmin(req({ cookie: `${ADMIN_COOKIE}=${id}` }))).toEqual({ via: "session", sessionId: id });
    const anonymous: Record<string, string>[] = [
      {},
      { authorization: "Bearer nope-nope-nope-nope" },
      { cookie: `${ADMIN_COOKIE}=${TOKEN}` },
    ];
    for (const headers of anonymous) {
      expect(thrownBy(() => requireAdmin(req(headers))).code).toBe("unauthorized");
    }
  });

  it("CSRF: a cookie-authenticated change from another origin, or with no origin at all, is 403", () => {
    const cookie = `${ADMIN_COOKIE}=${createSession(db()).id}`;
    const forged: Record<string, string>[] = [
      { cookie, origin: "http://localhost:4000" },
      { cookie, origin: "https://evil.example" },
      { cookie, "sec-fetch-site": "same-site" },
      { cookie, "sec-fetch-site": "cross-site" },
      { cookie },
    ];
    for (const headers of forged) {
      const e = thrownBy(() => requireAdmin(req(headers, "POST")));
      expect(e.code, JSON.stringify(headers)).toBe("csrf_rejected");
      expect(e.status).toBe(403);
    }
    // The app's own origin, or Sec-Fetch-Site same-origin without Origin, passes; reads are not checked.
    expect(requireAdmin(req({ cookie, origin: "http://localhost" }, "POST")).via).toBe("session");
    expect(requireAdmin(req({ cookie, "sec-fetch-site": "same-origin" }, "DELETE")).via).toBe("session");
    expect(requireAdmin(req({ cookie, origin: "https://evil.example" }, "GET")).via).toBe("session");
    // A forged cookie from another site is refused as CSRF before anyone checks the session.
    expect(
      thrownBy(() => requireAdmin(req({ cookie: `${ADMIN_COOKIE}=x`, origin: "https://evil.example" }, "POST"))).code,
    ).toBe("csrf_rejected");
  });

  it("the origin is judged against the host the browser addressed (Host), not the URL the server built", () => {
    const cookie = `${ADMIN_COOKIE}=${createSession(db()).id}`;
    const viaIp = { cookie, host: "127.0.0.1:3000", origin: "http://127.0.0.1:3000" };
    expect(requireAdmin(req(viaIp, "POST", "http://localhost:3000/api/datasets")).via).toBe("session");
    const otherPort = { cookie, host: "127.0.0.1:3000", origin: "http://127.0.0.1:3001" };
    expect(thrownBy(() => requireAdmin(req(otherPort, "POST", "http://localhost:3000/api/datasets"))).code).toBe(
      "csrf_rejected",
    );
  });

  it("a bearer request carries no cookie and is exempt from the origin check", () => {
    expect(
      requireAdmin(req({ authorization: `Bearer ${TOKEN}`, origin: "https://elsewhere.example" }, "POST")),
    ).toEqual({
      via: "bearer",
    });
  });
});

describe("without ADMIN_TOKEN", () => {
  it("is disabled for every cookie, even a session that was valid under a token (never open)", async () => {
    const live = createSession(db()).id;
    vi.resetModules(); // a fresh config module, so the changed environment is read again
    vi.stubEnv("ADMIN_TOKEN", "");
    try {
      const fresh = await import("./auth");
      for (const cookie of [undefined, null, "", live, TOKEN])
        expect(fresh.adminStateFromCookie(cookie)).toBe("disabled");
      expect(fresh.isValidToken(TOKEN)).toBe(false);
      const e = thrownBy(() =>
        fresh.requireAdmin(new Request("http://localhost/api/runs", { headers: { authorization: `Bearer ${TOKEN}` } })),
      );
      expect(e.code).toBe("admin_disabled");
    } finally {
      vi.stubEnv("ADMIN_TOKEN", TOKEN);
    }
  });
});
