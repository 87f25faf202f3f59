import { ADMIN_COOKIE } from "@/lib/auth";

export const dynamic = "force-dynamic";

export function POST(): Response {
  return Response.json(
    { ok: true },
    { headers: { "Set-Cookie": `${ADMIN_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0` } },
  );
}
