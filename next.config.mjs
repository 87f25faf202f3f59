/** @type {import('next').NextConfig} */
const nextConfig = {
  // Self-contained server for the Docker image (node .next/standalone/server.js).
  output: "standalone",
  // Native or require-patching packages must be loaded by Node, not bundled. pino (logs) and prom-client (metrics)
  // keep one instance per process that every route bundle shares; both are copied whole into the standalone output
  // (docker/copy-externals.mjs). pino-pretty is not here: a devDependency, loaded only outside production.
  serverExternalPackages: ["better-sqlite3", "node-llama-cpp", "weave", "pino", "prom-client"],
  poweredByHeader: false,
  reactStrictMode: true,
  // The app has one reasoning view and an API; no remote images are used.
  images: { unoptimized: true },
  // API answers to requests with a body skip proxy.ts (see its matcher), so they get the same headers here.
  async headers() {
    return [
      {
        source: "/api/:path*",
        headers: [
          { key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
        ],
      },
    ];
  },
};

export default nextConfig;
