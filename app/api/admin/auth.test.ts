import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import { DatasetViewSchema, RunViewSchema } from "@/eval/api/schemas";
import { POST as login } from "@/app/api/admin/login/route";
import { POST as logout } from "@/app/api/admin/logout/route";
import { GET as listDatasets } from "@/app/api/datasets/route";
import { GET as listRuns } from "@/app/api/runs/route";
import { ctx, expectError } from "@/test-support/api";
import { stubAdminEnv } from "@/test-support/api-client";

/**
 * The admin area with ADMIN_TOKEN set: bearer token or the session cookie from POST /api/admin/login; nothing else.
 */

const TOKEN = "s3cret-admin-token-for-tests-0042";

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "medgpt-auth-"));
  stubAdminEnv({
    ADMIN_TOKEN: TOKEN,
    MEDGPT_DB_PATH: path.join(tmp, "medgpt.db"),
    OLLAMA_HOST: "http://127.0.0.1:9", // never contacted
  });
});
afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(tmp, { recursive: true, force: true });
});

const noParams = ctx({});
const runs = (headers: Record<string, string> = {}) =>
  listRuns(new Request("http://localhost/api/runs", { headers }), noParams);
const datasets = (headers: Record<string, string> = {}) =>
  listDatasets(new Request("http://localhost/api/datasets", { headers }), noParams);

function loginRequest(body: unknown, opts: { url?: string; contentType?: string } = {}) {
  return login(
    new Request(opts.url ?? "http://localhost/api/admin/login", {
      method: "POST",
      headers: { "content-type": opts.contentType ?? "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
}

/** Attributes of a Set-Cookie header, lower-cased names → value ("" for flags). */
function parseSetCookie(header: string) {
  const [pair = "", ...attrs] = header.split(";").map((s) => s.trim());
  const eq = pair.indexOf("=");
  const attributes = new Map(
    attrs.map((a) => {
      const i = a.indexOf("=");
      return i < 0 ? [a.toLowerCase(), ""] : [a.slice(0, i).toLowerCase(), a.slice(i + 1)];
    }),
  );
  return { name: pair.slice(0, eq), value: pair.slice(eq + 1), attributes };
}

async function sessionCookie(): Promise<string> {
  const res = await loginRequest({ token: TOKEN });
  expect(res.status).toBe(200);
  const c = parseSetCookie(res.headers.get("set-cookie") ?? "");
  return `${c.name}=${c.value}`;
}

describe("admin API authentication (ADMIN_TOKEN set)", () => {
  it("no credentials → 401 unauthorized JSON with the way to log in", async () => {
    for (const res of [await runs(), await datasets()]) {
      const error = await expectError(res, 401, "unauthorized");
      expect(error.fix).toMatch(/\/admin\/login|Bearer/);
    }
  });

  it("Authorization: Bearer <ADMIN_TOKEN> → 200 (scheme case-insensitive, surrounding spaces ignored)", async () => {
    for (const authorization of [`Bearer ${TOKEN}`, `bearer ${TOKEN}`, `Bearer   ${TOKEN}  `]) {
      const res = await runs({ authorization });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { runs: unknown[] };
      expect(RunViewSchema.array().parse(body.runs)).toEqual([]);
    }
    const res = await datasets({ authorization: `Bearer ${TOKEN}` });
    expect(res.status).toBe(200);
    expect(DatasetViewSchema.array().parse(((await res.json()) as { datasets: unknown }).datasets)).toEqual([]);
  });

  it("a wrong bearer, a prefix of the token, another scheme or the token without a scheme → 401", async () => {
    for (const authorization of [
      "Bearer wrong-token-wrong-token",
      `Bearer ${TOKEN.slice(0, -1)}`,
      `Bearer ${TOKEN}x`,
      `Basic ${Buffer.from(`admin:${TOKEN}`).toString("base64")}`,
      TOKEN,
      "Bearer",
    ]) {
      await expectError(await runs({ authorization }), 401, "unauthorized");
    }
  });

  it("login with the right token sets an httpOnly, SameSite=Strict session cookie that is not the token", async () => {
    const res = await loginRequest({ token: TOKEN });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    const header = res.headers.get("set-cookie");
    expect(header).not.toBeNull();
    const c = parseSetCookie(header!);
    expect(c.name).toBe("medgpt_admin");
    expect(c.value).toMatch(/^[0-9a-f]{64}$/); // a random session id, stored hashed on the server
    expect(c.value).not.toBe(TOKEN);
    expect(header).not.toContain(TOKEN);
    expect(c.attributes.has("httponly")).toBe(true);
    expect(c.attributes.get("samesite")?.toLowerCase()).toBe("strict");
    expect(c.attributes.get("path")).toBe("/");
    expect(Number(c.attributes.get("max-age"))).toBeGreaterThan(0);
    // Plain http (local dev): no Secure flag, or the browser would drop the cookie.
    expect(c.attributes.has("secure")).toBe(false);
  });

  it("login over https marks the cookie Secure", async () => {
    const res = await loginRequest({ token: TOKEN }, { url: "https://medgpt.example/api/admin/login" });
    expect(res.status).toBe(200);
    expect(parseSetCookie(res.headers.get("set-cookie")!).attributes.has("secure")).toBe(true);
  });

  it("the session cookie authorizes GET /api/runs and GET /api/datasets, also among other cookies", async () => {
    const cookie = await sessionCookie();
    expect((await runs({ cookie })).status).toBe(200);
    expect((await datasets({ cookie })).status).toBe(200);
    expect((await runs({ cookie: `theme=dark; ${cookie}; other=1` })).status).toBe(200);
  });

  it("a cookie holding the token itself, a wrong digest or another cookie's name → 401", async () => {
    const cookie = await sessionCookie();
    const value = cookie.split("=")[1]!;
    for (const bad of [
      `medgpt_admin=${TOKEN}`,
      `medgpt_admin=${value.slice(0, -1)}${value.endsWith("0") ? "1" : "0"}`,
      `medgpt_admin=${value.toUpperCase()}`,
      `medgpt_admin_x=${value}`,
      `x_medgpt_admin=${value}`,
      "medgpt_admin=",
    ]) {
      await expectError(await runs({ cookie: bad }), 401, "unauthorized");
    }
  });

  it("a malformed percent-encoding in the session cookie is 401, not a server error", async () => {
    const quiet = vi.spyOn(console, "error").mockImplementation(() => {}); // the 500 path logs the URIError
    onTestFinished(() => quiet.mockRestore());
    await expectError(await runs({ cookie: "medgpt_admin=%E0%A4%A" }), 401, "unauthorized");
    await expectError(await runs({ cookie: "medgpt_admin=%ZZ" }), 401, "unauthorized");
  });

  it("login with a wrong token → 401 and no cookie", async () => {
    for (const token of ["wrong-token-wrong-token", TOKEN.toUpperCase(), `${TOKEN} `, "x"]) {
      const res = await loginRequest({ token });
      expect(res.headers.get("set-cookie")).toBeNull();
      await expectError(res, 401, "unauthorized");
    }
  });

  it("login rejects malformed bodies without a cookie: 415 for non-JSON, 400 for missing/extra fields or bad JSON", async () => {
    const cases: [Promise<Response>, number, string][] = [
      [
        loginRequest(`token=${TOKEN}`, { contentType: "application/x-www-form-urlencoded" }),
        415,
        "unsupported_media_type",
      ],
      [loginRequest({}), 400, "invalid_request"],
      [loginRequest({ token: TOKEN, remember: true }), 400, "invalid_request"],
      [loginRequest({ token: 42 }), 400, "invalid_request"],
      [loginRequest("{not json"), 400, "invalid_json"],
    ];
    for (const [promise, status, code] of cases) {
      const res = await promise;
      expect(res.headers.get("set-cookie")).toBeNull();
      await expectError(res, status, code);
    }
  });

  it("every login rotates the session: two logins, two different cookies, both working", async () => {
    const a = await sessionCookie();
    const b = await sessionCookie();
    expect(a).not.toBe(b);
    expect((await runs({ cookie: a })).status).toBe(200);
    expect((await runs({ cookie: b })).status).toBe(200);
  });

  it("logout revokes that session on the server (a saved copy of the cookie stops working), and only that one", async () => {
    const mine = await sessionCookie();
    const other = await sessionCookie();
    const res = await logout(
      new Request("http://localhost/api/admin/logout", {
        method: "POST",
        headers: { cookie: mine, origin: "http://localhost" },
      }),
    );
    expect(res.status).toBe(200);
    await expectError(await runs({ cookie: mine }), 401, "unauthorized");
    expect((await runs({ cookie: other })).status).toBe(200);
  });

  it("CSRF: a cookie-authenticated change from another origin is 403, even for a run that does not exist", async () => {
    const cookie = await sessionCookie();
    const { POST: cancel } = await import("@/app/api/runs/[id]/cancel/route");
    const { POST: upload } = await import("@/app/api/datasets/route");
    const forged = (url: string, origin: string | null) =>
      new Request(url, {
        method: "POST",
        headers: { cookie, ...(origin ? { origin } : {}), "content-type": "application/json" },
        body: "{}",
      });
    for (const origin of ["http://localhost:3001", "https://evil.example", null]) {
      await expectError(
        await cancel(forged("http://localhost/api/runs/run_nope/cancel", origin), ctx({ id: "run_nope" })),
        403,
        "csrf_rejected",
      );
      await expectError(await upload(forged("http://localhost/api/datasets", origin), noParams), 403, "csrf_rejected");
    }
    // From the app's own origin the same request goes through to the route (which then says the run is missing).
    await expectError(
      await cancel(forged("http://localhost/api/runs/run_nope/cancel", "http://localhost"), ctx({ id: "run_nope" })),
      404,
      "not_found",
    );
  });

  it("more than 10 failed logins from one client in 15 minutes → 429 with Retry-After, even with the right token", async () => {
    const from = (token: string) =>
      login(
        new Request("http://localhost/api/admin/login", {
          method: "POST",
          headers: { "content-type": "application/json", "x-forwarded-for": "203.0.113.9" },
          body: JSON.stringify({ token }),
        }),
      );
    for (let i = 0; i < 10; i++) await expectError(await from("wrong-token-wrong-token"), 401, "unauthorized");
    const blocked = await from(TOKEN);
    await expectError(blocked, 429, "rate_limited");
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another client is not affected.
    expect((await loginRequest({ token: TOKEN })).status).toBe(200);
  });

  it("logins, failed logins and logouts are in the audit log, newest first, without any token", async () => {
    const { GET: auditLog } = await import("@/app/api/audit/route");
    const res = await auditLog(
      new Request("http://localhost/api/audit", { headers: { authorization: `Bearer ${TOKEN}` } }),
      noParams,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const { entries } = (await res.json()) as { entries: { action: string; actor: string; at: string }[] };
    const actions = new Set(entries.map((e) => e.action));
    for (const a of ["login", "login_failed", "logout"]) expect(actions.has(a), a).toBe(true);
    expect(entries[0]!.at >= entries.at(-1)!.at).toBe(true);
    expect(JSON.stringify(entries)).not.toContain(TOKEN);
  });

  it("the session cookie lives as long as the server keeps the session (8 hours); login and logout carry X-Request-Id", async () => {
    const res = await loginRequest({ token: TOKEN });
    expect(parseSetCookie(res.headers.get("set-cookie")!).attributes.get("max-age")).toBe(String(8 * 60 * 60));
    expect(res.headers.get("x-request-id")).toBeTruthy();
    const out = await logout(new Request("http://localhost/api/admin/logout", { method: "POST" }));
    expect(out.headers.get("x-request-id")).toBeTruthy();
  });

  it("logout clears the cookie (empty value, Max-Age=0, same path and flags)", async () => {
    const res = await logout(new Request("http://localhost/api/admin/logout", { method: "POST" }));
    expect(res.status).toBe(200);
    const c = parseSetCookie(res.headers.get("set-cookie") ?? "");
    expect(c.name).toBe("medgpt_admin");
    expect(c.value).toBe("");
    expect(c.attributes.get("max-age")).toBe("0");
    expect(c.attributes.get("path")).toBe("/");
    expect(c.attributes.has("httponly")).toBe(true);
    expect(c.attributes.get("samesite")?.toLowerCase()).toBe("strict");
    // The cleared (empty) cookie authorizes nothing.
    await expectError(await runs({ cookie: `${c.name}=${c.value}` }), 401, "unauthorized");
  });
});
