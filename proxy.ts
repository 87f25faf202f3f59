import { NextResponse, type NextRequest } from "next/server";
import { REQUEST_ID_HEADER, requestIdFrom } from "@/lib/observability/request-id";

/**
 * Runs before every request (Next.js "proxy", formerly middleware):
 * - a path that cannot be percent-decoded (`/api/runs/%ZZ`) is answered 400 JSON here; Next itself would answer a
 *   plain-text 500;
 * - security headers on every answer: a Content-Security-Policy whose scripts need this request's nonce (no inline
 *   script without it, no `unsafe-eval` outside development), no framing, nosniff, a Referrer-Policy and a
 *   Permissions-Policy. Pages are rendered per request (app/layout.tsx), which is how Next.js puts the nonce on its
 *   own scripts.
 * - API requests get their request id here (the caller's sane X-Request-Id, else a new one): forwarded to the route,
 *   whose wrapper (lib/observability/api-route.ts) logs with it and answers it, and set on the answers given here.
 * Inline style attributes stay allowed: charts and progress bars set sizes that way, and a style cannot run code.
 */
export function proxy(request: NextRequest): NextResponse {
  const api = request.nextUrl.pathname.startsWith("/api/");
  const requestId = api ? requestIdFrom(request.headers.get(REQUEST_ID_HEADER)) : null;
  try {
    decodeURIComponent(request.nextUrl.pathname);
  } catch {
    const response = withSecurityHeaders(
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
      API_CSP,
    );
    if (requestId) response.headers.set(REQUEST_ID_HEADER, requestId);
    return response;
  }
  if (requestId) {
    const headers = new Headers(request.headers);
    headers.set(REQUEST_ID_HEADER, requestId);
    const response = NextResponse.next({ request: { headers } });
    // Also for the answers no route wrapper sees (the prerendered /api/openapi.json).
    response.headers.set(REQUEST_ID_HEADER, requestId);
    return withSecurityHeaders(response, API_CSP);
  }
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = contentSecurityPolicy(nonce, process.env.NODE_ENV === "development");
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("Content-Security-Policy", csp);
  return withSecurityHeaders(NextResponse.next({ request: { headers } }), csp);
}

/** JSON answers load nothing and are never framed. next.config.mjs sends the same headers on API answers with a body. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

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

/** Sent on every answer; next.config.mjs repeats them for the API requests the proxy does not see. */
export const SECURITY_HEADERS: Record<string, string> = {
  "X-Frame-Options": "DENY",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
};

function withSecurityHeaders(response: NextResponse, csp: string): NextResponse {
  response.headers.set("Content-Security-Policy", csp);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value);
  return response;
}

/**
 * Pages (not Next's immutable static files), and API requests without a body. When a proxy runs, Next.js reads and
 * buffers the whole request body before the route sees it (capped at 10 MB): that would cut dataset uploads and
 * defeat the routes' own body limits and stall timeout. So requests with a body (Content-Length or
 * Transfer-Encoding) go straight to their route, with the headers from next.config.mjs.
 */
export const config = {
  matcher: [
    "/((?!api/|_next/static|_next/image).*)",
    {
      source: "/api/:path*",
      missing: [
        { type: "header", key: "content-length" },
        { type: "header", key: "transfer-encoding" },
      ],
    },
  ],
};
