import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import type { NextResponse } from "next/server";
import { getConfig } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { getSecurityDb } from "@/lib/security/db";
import { isLiveSession, SESSION_SECONDS } from "@/lib/security/sessions";

export const ADMIN_COOKIE = "medgpt_admin";

function safeEqual(a: string, b: string): boolean {
  // Digests first, so the comparison takes the same time whatever the lengths.
  const x = createHash("sha256").update(a).digest();
  const y = createHash("sha256").update(b).digest();
  return timingSafeEqual(x, y) && a === b;
}

export function isValidToken(candidate: string): boolean {
  const token = getConfig().adminToken;
  return token !== undefined && safeEqual(candidate, token);
}

/** The bearer of `Authorization: Bearer <x>` (scheme case-insensitive, spaces trimmed), if any. */
const bearerOf = (request: Request) => /^Bearer\s+(.+)$/i.exec(request.headers.get("authorization") ?? "")?.[1]?.trim();

/**
 * The session cookie's attributes: httpOnly (no script reads it), SameSite=Strict (never sent from another site),
 * the whole app, and Secure when the request came over https (on plain http a browser would drop a Secure cookie).
 * Set through the response's cookie API (Next's ResponseCookies) rather than a hand-built Set-Cookie string. Not
 * through `cookies()` from next/headers: that works only inside Next's request scope, and the route handlers are
 * also called directly, outside it (app/api/admin/auth.test.ts); both write the same header.
 */
function sessionCookie(request: Request, value: string, maxAge: number) {
  const secure = new URL(request.url).protocol === "https:";
  return { name: ADMIN_COOKIE, value, httpOnly: true, sameSite: "strict", path: "/", maxAge, secure } as const;
}

/** Login: the new session's id in the cookie, for as long as the server keeps the session. */
export function setSessionCookie(response: NextResponse, request: Request, sessionId: string): void {
  response.cookies.set(sessionCookie(request, sessionId, SESSION_SECONDS));
}

/** Logout: the cookie emptied and expired at once, with the same attributes so the browser replaces it. */
export function clearSessionCookie(response: NextResponse, request: Request): void {
  response.cookies.set(sessionCookie(request, "", 0));
}

function cookieFrom(header: string | null): string | null {
  for (const part of (header ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k !== ADMIN_COOKIE) continue;
    try {
      return decodeURIComponent(v.join("="));
    } catch {
      return null; // a malformed cookie is simply not a session
    }
  }
  return null;
}

export type AdminState = "disabled" | "anonymous" | "admin";

/** Whether a session cookie's value (from a page) is a live session: created by a login, not expired, not revoked. */
export function adminStateFromCookie(cookie: string | undefined | null): AdminState {
  const config = getConfig();
  if (!config.adminToken) return "disabled";
  return cookie && isLiveSession(getSecurityDb(config.dbPath), cookie) ? "admin" : "anonymous";
}

/** The session id the request's cookie carries, if any (for logout). */
export const sessionIdOf = (request: Request) => cookieFrom(request.headers.get("cookie"));

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * CSRF: a cookie-authenticated request that changes state must come from the app's own pages. Judged by Origin
 * (sent by every browser on such requests), or Sec-Fetch-Site where Origin is absent; neither → refused, since a
 * browser always sends one of them and a script with the cookie can send the bearer token instead.
 */
export function checkSameOrigin(request: Request): void {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return;
  const origin = request.headers.get("origin");
  const site = request.headers.get("sec-fetch-site");
  const ok = origin !== null ? hostOf(origin) === ownHost(request) : site === "same-origin";
  if (!ok) {
    throw new AppError("csrf_rejected", "This request did not come from MedGPT's own pages, so it was refused.");
  }
}

/**
 * The host the browser addressed: the Host header (behind a trusted proxy, the X-Forwarded-Host it sets). Not
 * request.url, which the server may build from its own bind address (127.0.0.1 vs localhost). Schemes are not
 * compared: a TLS proxy in front turns https into http.
 */
function ownHost(request: Request): string | null {
  const forwarded = getConfig().trustProxy ? request.headers.get("x-forwarded-host")?.split(",")[0]?.trim() : null;
  return (forwarded || request.headers.get("host") || hostOf(request.url))?.toLowerCase() ?? null;
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return null;
  }
}

export type AdminIdentity = { via: "bearer" } | { via: "session"; sessionId: string };

/**
 * Throws unless the request has a live admin session cookie or `Authorization: Bearer <ADMIN_TOKEN>`. Never open.
 * A bearer carries no cookie and is exempt from the CSRF check; a cookie-authenticated change is checked first,
 * before anything else, so a forged request learns nothing (not even whether a run exists).
 */
export function requireAdmin(request: Request): AdminIdentity {
  const token = getConfig().adminToken;
  if (!token) throw new AppError("admin_disabled", "The admin area is disabled because ADMIN_TOKEN is not set.");
  const bearer = bearerOf(request);
  if (bearer) {
    if (isValidToken(bearer)) return { via: "bearer" };
    throw new AppError("unauthorized", "Admin login required.");
  }
  const cookie = sessionIdOf(request);
  if (cookie !== null) checkSameOrigin(request);
  if (cookie && adminStateFromCookie(cookie) === "admin") return { via: "session", sessionId: cookie };
  throw new AppError("unauthorized", "Admin login required.");
}

/** Whether the request carries the admin's credentials (cookie or bearer); never throws. */
export function isAdminRequest(request: Request): boolean {
  try {
    requireAdmin(request);
    return true;
  } catch {
    return false;
  }
}

/** Who did it, for the audit log. */
export const actorOf = (who: AdminIdentity) => (who.via === "bearer" ? "admin token (API)" : "admin session");

/**
 * GET /api/metrics: `Authorization: Bearer <MEDGPT_METRICS_TOKEN>` (a scraper's own token, when that is set) or the
 * admin's credentials (session cookie or ADMIN_TOKEN bearer). Closed otherwise, also when neither token is set.
 */
export function requireMetricsAccess(request: Request): void {
  const { metricsToken } = getConfig();
  const bearer = bearerOf(request);
  if (bearer && metricsToken !== undefined && safeEqual(bearer, metricsToken)) return;
  if (isAdminRequest(request)) return;
  throw new AppError("unauthorized", "The metrics need a token.", {
    fix: "Send `Authorization: Bearer <MEDGPT_METRICS_TOKEN>` (or the admin token), or log in at /admin/login.",
  });
}
