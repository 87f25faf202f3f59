import { adminRoute } from "@/eval/api/admin-route";
import type { JudgesResponse } from "@/eval/api/schemas";
import { judgeEnv } from "@/eval/runner/judge";
import { judgeAvailability } from "@/eval/scorers/judge-factory";
import { getConfig } from "@/lib/config";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = adminRoute(() => {
  const config = getConfig();
  const body: JudgesResponse = { default: config.defaultJudge, providers: judgeAvailability(judgeEnv(config)) };
  return Response.json(body);
});
