import { adminRoute } from "@/eval/api/admin-route";
import { getConfig } from "@/lib/config";
import { recentAudit } from "@/lib/security/audit";
import { getSecurityDb } from "@/lib/security/db";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The latest admin actions (logins, runs started, cancelled, resumed, datasets uploaded, keys), newest first. */
export const GET = adminRoute(() => Response.json({ entries: recentAudit(getSecurityDb(getConfig().dbPath)) }));
