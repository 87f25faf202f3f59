import { z } from "zod";
import { adminRoute } from "@/eval/api/admin-route";
import { getConfig } from "@/lib/config";
import { readJsonBody } from "@/lib/http/read-json";
import { createApiKey, listApiKeys } from "@/lib/security/api-keys";
import { getSecurityDb } from "@/lib/security/db";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const CreateKeySchema = z.strictObject({ name: z.string().trim().min(1).max(100) });

/** Integrators' API keys, with last use and request counts; never the keys themselves. */
export const GET = adminRoute(() => Response.json({ keys: listApiKeys(getSecurityDb(getConfig().dbPath)) }));

/** A new key for `name`. The answer is the only time the key is shown; it is stored hashed. */
export const POST = adminRoute(async (request, { audit }) => {
  const { name } = await readJsonBody(request, CreateKeySchema);
  const created = createApiKey(getSecurityDb(getConfig().dbPath), name);
  audit("key_create", created.id, name);
  const { id, key, createdAt } = created;
  return Response.json({ id, name, key, createdAt }, { status: 201 });
});
