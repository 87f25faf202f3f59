import { NextResponse } from "next/server";
import { z } from "zod";
import { isValidToken, setSessionCookie } from "@/lib/auth";
import { getConfig } from "@/lib/config";
import { AppError, errorResponse } from "@/lib/errors";
import { readJsonBody } from "@/lib/http/read-json";
import { apiRoute } from "@/lib/observability/api-route";
import { audit } from "@/lib/security/audit";
import { getSecurityDb } from "@/lib/security/db";
import { clientAddress, limiter } from "@/lib/security/rate-limit";
import { createSession } from "@/lib/security/sessions";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const LoginSchema = z.strictObject({ token: z.string().min(1).max(500) });

/** Failed logins per client address: more than 10 in 15 minutes → 429 until the window ends. */
const failedLogins = () => limiter("login-failures", 10, 15 * 60 * 1000);

/** Exchanges ADMIN_TOKEN for a new session (8 hours), held in an httpOnly cookie; each login rotates it. */
export const POST = apiRoute(async (request: Request): Promise<Response> => {
  try {
    const config = getConfig();
    if (!config.adminToken) {
      throw new AppError("admin_disabled", "The admin area is disabled because ADMIN_TOKEN is not set.");
    }
    const client = clientAddress(request, config.trustProxy);
    const blocked = failedLogins().peek(client);
    if (blocked.limited) {
      return errorResponse(new AppError("rate_limited", "Too many failed logins; wait before trying again."), {
        "Retry-After": String(blocked.retryAfterS),
      });
    }
    const body = await readJsonBody(request, LoginSchema);
    const db = getSecurityDb(config.dbPath);
    if (!isValidToken(body.token)) {
      failedLogins().hit(client);
      audit(db, { action: "login_failed", actor: client });
      throw new AppError("unauthorized", "That token is not valid.", { fix: "Use the server's ADMIN_TOKEN." });
    }
    const session = createSession(db);
    audit(db, { action: "login", actor: "admin session", detail: client });
    const response = NextResponse.json({ ok: true }, { headers: { "Cache-Control": "no-store" } });
    setSessionCookie(response, request, session.id);
    return response;
  } catch (err) {
    return errorResponse(err);
  }
});
