import { z } from "zod";
import { ADMIN_COOKIE, isValidToken, sessionValue } from "@/lib/auth";
import { getConfig } from "@/lib/config";
import { AppError, errorResponse } from "@/lib/errors";
import { readJsonBody } from "@/lib/http/read-json";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const LoginSchema = z.strictObject({ token: z.string().min(1).max(500) });

/** Exchanges ADMIN_TOKEN for an httpOnly session cookie (8 hours). */
export async function POST(request: Request): Promise<Response> {
  try {
    const token = getConfig().adminToken;
    if (!token) throw new AppError("admin_disabled", "The admin area is disabled because ADMIN_TOKEN is not set.");
    const body = await readJsonBody(request, LoginSchema);
    if (!isValidToken(body.token))
      throw new AppError("unauthorized", "That token is not valid.", { fix: "Use the server's ADMIN_TOKEN." });
    const secure = new URL(request.url).protocol === "https:" ? "; Secure" : "";
    return Response.json(
      { ok: true },
      {
        headers: {
          "Set-Cookie": `${ADMIN_COOKIE}=${sessionValue(token)}; HttpOnly; SameSite=Strict; Path=/; Max-Age=28800${secure}`,
        },
      },
    );
  } catch (err) {
    return errorResponse(err);
  }
}
