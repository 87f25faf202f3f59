// The web image's HEALTHCHECK (no curl in node:*-slim). Exit 0 when the server answers GET /api/health with 200
// (ok/degraded) or 503 (model server unavailable): either way the web server itself is serving, and the body says
// what the backend is doing. Anything else (no answer in time, connection refused, another status) exits 1.
// Prints one line, kept by Docker in `docker inspect` (.State.Health.Log) and shown by `./medgpt.sh up`.
//
// Usage: node healthcheck.mjs [url [timeout ms]]   (default http://127.0.0.1:$PORT/api/health, PORT 3000; 5000 ms)

const SERVING = new Set([200, 503]);
const TIMEOUT_MS = Number(process.argv[3] ?? 5000);

// eslint-disable-next-line no-restricted-properties -- runs in the container, outside the app and lib/config.ts
const port = process.env.PORT || "3000";
const url = process.argv[2] ?? `http://127.0.0.1:${port}/api/health`;

try {
  const res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS), headers: { accept: "application/json" } });
  const text = await res.text();
  let body = null;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: reported below by status alone
  }
  const status = typeof body?.status === "string" ? body.status : "?";
  const fix = typeof body?.fix === "string" && body.fix ? ` fix: ${body.fix}` : "";
  console.log(`${url}: HTTP ${res.status}, status ${status}.${fix}`);
  process.exitCode = SERVING.has(res.status) ? 0 : 1;
} catch (err) {
  const reason =
    err?.name === "TimeoutError"
      ? `no answer within ${TIMEOUT_MS} ms`
      : `${err?.message}${err?.cause ? ` (${err.cause.code ?? err.cause.message})` : ""}`;
  console.log(`${url}: ${reason}`);
  process.exitCode = 1;
}
