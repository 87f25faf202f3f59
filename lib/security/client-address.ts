import "server-only";
import http from "node:http";

/**
 * Next.js fills X-Forwarded-For from the socket only when the client sent none, so a client could claim any address
 * and dodge per-address limits. Unless the operator says a proxy in front sets it (MEDGPT_TRUST_PROXY=true), the
 * header is overwritten with the connection's own address before Next sees the request. Installed once at start.
 */
export function installClientAddressGuard(trustProxy: boolean): void {
  const g = globalThis as unknown as { __medgptAddressGuard?: boolean };
  if (trustProxy || g.__medgptAddressGuard) return;
  g.__medgptAddressGuard = true;
  const emit = http.Server.prototype.emit as (this: http.Server, event: string, ...args: unknown[]) => boolean;
  http.Server.prototype.emit = function (this: http.Server, event: string, ...args: unknown[]) {
    if (event === "request") {
      const req = args[0] as http.IncomingMessage;
      const address = req.socket?.remoteAddress;
      if (address) req.headers["x-forwarded-for"] = address;
      else delete req.headers["x-forwarded-for"];
    }
    return emit.call(this, event, ...args);
  } as typeof http.Server.prototype.emit;
}
