/**
 * The origin a reader reached this server by, for the curl examples on /docs: the first X-Forwarded-Host (a
 * reverse proxy's public name) or else Host, and https only when X-Forwarded-Proto says so. A value that is not a
 * plain host[:port] is ignored, and without any the README's default address stands in.
 */
export function requestOrigin(headers: { get(name: string): string | null }): string {
  const first = (name: string) => headers.get(name)?.split(",")[0]?.trim() || undefined;
  const host = [first("x-forwarded-host"), first("host")].find((h) => h !== undefined && HOST.test(h));
  const scheme = first("x-forwarded-proto") === "https" ? "https" : "http";
  return `${scheme}://${host ?? "localhost:3000"}`;
}

/** A DNS name or IPv4 address, or a bracketed IPv6 address, with an optional port. */
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;
