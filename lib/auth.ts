import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { getConfig } from "@/lib/config";
import { AppError } from "@/lib/errors";

export const ADMIN_COOKIE = "medgpt_admin";

/** The cookie holds a digest of the token, never the token itself. */
export function sessionValue(token: string): string {
  return createHash("sha256").update(`medgpt-admin:${token}`).digest("hex");
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function isValidToken(candidate: string): boolean {
  const token = getConfig().adminToken;
  return token !== undefined && safeEqual(sessionValue(candidate), sessionValue(token));
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

/** Whether a cookie value (from a page) or a request (from an API) carries the admin session. */
export function adminStateFromCookie(cookie: string | undefined | null): AdminState {
  const token = getConfig().adminToken;
  if (!token) return "disabled";
  return cookie && safeEqual(cookie, sessionValue(token)) ? "admin" : "anonymous";
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

/** Throws unless the request has the admin cookie or `Authorization: Bearer <ADMIN_TOKEN>`. Never open. */
export function requireAdmin(request: Request): void {
  const token = getConfig().adminToken;
  if (!token) throw new AppError("admin_disabled", "The admin area is disabled because ADMIN_TOKEN is not set.");
  const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.get("authorization") ?? "")?.[1]?.trim();
  if (bearer && isValidToken(bearer)) return;
  if (adminStateFromCookie(cookieFrom(request.headers.get("cookie"))) === "admin") return;
  throw new AppError("unauthorized", "Admin login required.");
}
