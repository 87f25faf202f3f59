import { NextResponse, type NextRequest } from "next/server";

/**
 * Runs before every request (Next.js "proxy", formerly middleware):
 * - a path that cannot be percent-decoded (`/api/runs/%ZZ`) is answered 400 JSON here; Next itself would answer a
 *   plain-text 500;
 * - security headers on every answer: a Content-Security-Policy whose scripts need this request's nonce (no inline
 *   script without it, no `unsafe-eval` outside development), no framing, nosniff, a Referrer-Policy and a
 *   Permissions-Policy. Pages are rendered per request (app/layout.tsx), which is how Next.js puts the nonce on its
 *   own scripts.
 * Inline style attributes stay allowed: charts and progress bars set sizes that way, and a style cannot run code.
 */
export function proxy(request: NextRequest): NextResponse {
  try {
    decodeURIComponent(request.nextUrl.pathname);
  } catch {
    return withSecurityHeaders(
      NextResponse.json(
        {
          error: {
            code: "invalid_request",
            message: "The URL path is not valid percent-encoding.",
            fix: "Check the URL.",
          },
        },
        { status: 400 },
      ),
      "default-src 'none'; frame-ancestors 'none'",
    );
  }
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = contentSecurityPolicy(nonce, process.env.NODE_ENV === "development");
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("Content-Security-Policy", csp);
  return withSecurityHeaders(NextResponse.next({ request: { headers } }), csp);
}

export function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

function withSecurityHeaders(response: NextResponse, csp: string): NextResponse {
  response.headers.set("Content-Security-Policy", csp);
  response.headers.set("X-Frame-Options", "DENY");
  response.headers.set("X-Content-Type-Options", "nosniff");
  response.headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
  response.headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()");
  return response;
}

export const config = {
  // Everything but Next's own immutable static files, which carry no page.
  matcher: ["/((?!_next/static|_next/image).*)"],
};
