import { NextResponse } from "next/server";
import { checkSameOrigin, clearSessionCookie, sessionIdOf } from "@/lib/auth";
import { errorResponse } from "@/lib/errors";
import { getConfig } from "@/lib/config";
import { apiRoute } from "@/lib/observability/api-route";
import { audit } from "@/lib/security/audit";
import { getSecurityDb } from "@/lib/security/db";
import { isLiveSession, revokeSession } from "@/lib/security/sessions";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Ends this browser's session on the server (other sessions stay) and clears its cookie. */
export const POST = apiRoute((request: Request): Response => {
  const id = sessionIdOf(request);
  if (id) {
    try {
      checkSameOrigin(request); // another site must not be able to sign the admin out either
    } catch (err) {
      return errorResponse(err);
    }
    const db = getSecurityDb(getConfig().dbPath);
    if (isLiveSession(db, id)) {
      revokeSession(db, id);
      audit(db, { action: "logout", actor: "admin session" });
    }
  }
  const response = NextResponse.json({ ok: true });
  clearSessionCookie(response, request);
  return response;
});
