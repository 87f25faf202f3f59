import "server-only";
import { actorOf, requireAdmin } from "@/lib/auth";
import { audit, type AuditAction } from "@/lib/security/audit";
import { getSecurityDb } from "@/lib/security/db";
import { getConfig } from "@/lib/config";
import { getDb, type Db } from "@/eval/store/connection";
import { errorResponse } from "@/lib/errors";
import { apiRoute } from "@/lib/observability/api-route";

type Ctx<P> = { params: Promise<P> };

/**
 * Wraps an admin API handler: authentication first, then the handler; any thrown error becomes the standard
 * JSON error response, and every answer is marked no-store and carries its request id (apiRoute). Keeps route files
 * to "parse → call → respond".
 */
export function adminRoute<P = Record<string, never>>(
  handler: (
    request: Request,
    ctx: { db: Db; params: P; audit: (action: AuditAction, target?: string | null, detail?: string | null) => void },
  ) => Promise<Response> | Response,
) {
  return apiRoute(async (request: Request, context: Ctx<P>): Promise<Response> => {
    let response: Response;
    try {
      const who = requireAdmin(request);
      const params = context?.params ? await context.params : ({} as P);
      const { dbPath } = getConfig();
      const record = (action: AuditAction, target?: string | null, detail?: string | null) =>
        audit(getSecurityDb(dbPath), { action, actor: actorOf(who), target, detail });
      response = await handler(request, { db: getDb(dbPath), params, audit: record });
    } catch (err) {
      response = errorResponse(err);
    }
    // Admin answers hold case text and results: no browser or proxy may keep a copy.
    response.headers.set("Cache-Control", "no-store");
    return response;
  });
}
