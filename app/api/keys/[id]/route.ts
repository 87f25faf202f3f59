import { adminRoute } from "@/eval/api/admin-route";
import { getConfig } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { revokeApiKey } from "@/lib/security/api-keys";
import { getSecurityDb } from "@/lib/security/db";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Revokes the key at once: its next request gets 401 invalid_api_key. */
export const DELETE = adminRoute<{ id: string }>((_request, { params, audit }) => {
  const revoked = revokeApiKey(getSecurityDb(getConfig().dbPath), params.id);
  if (!revoked) throw new AppError("not_found", `There is no API key ${params.id}.`);
  audit("key_revoke", params.id, revoked.name);
  return Response.json(revoked);
});
