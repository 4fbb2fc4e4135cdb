import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

// Telemetry off for every next command run from this package, whatever the caller's env.
process.env.NEXT_TELEMETRY_DISABLED = "1";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Do not let `next dev` write AGENTS.md files into the repository.
  agentRules: false,
  // The workspace packages export raw TypeScript that imports siblings with `.js` suffixes.
  transpilePackages: ["@sync-beats/protocol", "@sync-beats/sync-engine", "@sync-beats/timeline"],
  turbopack: { root: repoRoot },
  outputFileTracingRoot: repoRoot,
  // The package scripts build with `--webpack`: Turbopack in Next 16.4 has no equivalent of
  // `resolve.extensionAlias` (vercel/next.js#82945), so it cannot follow the packages' `./x.js`
  // imports to `./x.ts`.
  webpack(config) {
    config.resolve.extensionAlias = {
      ".js": [".ts", ".tsx", ".js"],
      ".mjs": [".mts", ".mjs"],
    };
    return config;
  },
};

export default nextConfig;
