/** @type {import('next').NextConfig} */
const nextConfig = {
  // Self-contained server for the Docker image (node .next/standalone/server.js).
  output: "standalone",
  // Native or require-patching packages must be loaded by Node, not bundled.
  serverExternalPackages: ["better-sqlite3", "node-llama-cpp", "weave"],
  poweredByHeader: false,
  reactStrictMode: true,
  // The app has one reasoning view and an API; no remote images are used.
  images: { unoptimized: true },
};

export default nextConfig;
