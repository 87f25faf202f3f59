import { adminRoute } from "@/eval/api/admin-route";
import type { JudgesResponse } from "@/eval/api/schemas";
import { judgeEnv } from "@/eval/runner/judge";
import { judgeAvailability } from "@/eval/scorers/judge-factory";
import { getConfig } from "@/lib/config";
import { OllamaBackend } from "@/lib/inference/ollama";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * Which judges this server can use now. Groq needs its key; an Ollama judge needs a reachable Ollama (the one at
 * OLLAMA_HOST, whatever MEDGPT_BACKEND is) and a model pulled there, so its models are listed.
 */
export const GET = adminRoute(async (request) => {
  const config = getConfig();
  const providers = await Promise.all(
    judgeAvailability(judgeEnv(config)).map(async (p) => {
      if (p.provider !== "ollama" || !p.available) return { ...p, models: null };
      const ollama = new OllamaBackend({ host: config.ollamaHost, timeoutMs: config.upstreamTimeoutMs });
      try {
        const models = (await ollama.listModels(request.signal)).map((m) => m.name);
        return models.length
          ? { ...p, models }
          : { ...p, available: false, reason: "no model is pulled in Ollama to judge with", models };
      } catch {
        return { ...p, available: false, reason: `Ollama is not reachable at ${config.ollamaHost}`, models: null };
      }
    }),
  );
  const body: JudgesResponse = { default: config.defaultJudge, providers };
  return Response.json(body);
});
