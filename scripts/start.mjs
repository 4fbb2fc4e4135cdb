// Starts the three servers in one terminal; Ctrl-C stops them all. The web app builds itself on
// first start (and after a source change), so a fresh clone needs nothing else. `HTTPS=1` serves
// all three over TLS with a locally made certificate, for phones on the LAN (a microphone needs a
// secure context); without it everything is plain HTTP, as `localhost` needs nothing more.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import concurrently from "concurrently";
import { ensureCertificate, lanAddresses } from "./tls-certificate.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const PORTS = { web: 3000, api: 5001, sync: 6001 };

/** Per-app environment and npm script for HTTPS mode; variables the user set win. */
async function httpsMode() {
  const tlsDir = join(process.env.DATA_DIR ?? join(root, "data"), "tls");
  const ips = lanAddresses();
  const { certFile, keyFile, created } = await ensureCertificate(tlsDir, ips);
  // The API calls the sync server's /internal endpoints over https: Node must trust the certificate.
  const tls = { TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile, NODE_EXTRA_CA_CERTS: certFile };
  const webOrigins = ["localhost", "127.0.0.1", ...ips].map((host) => `https://${host}:${PORTS.web}`).join(",");
  const keep = (name, fallback) => ({ [name]: process.env[name] ?? fallback });
  console.log(`HTTPS: certificate ${created ? "made" : "reused"} at ${certFile}`);
  console.log(`Open https://localhost:${PORTS.web} here${ips.length ? `, or on a phone on this network: ${ips.map((ip) => `https://${ip}:${PORTS.web}`).join("  ")}` : ""}`);
  console.log(`A phone asks once per port to accept the certificate: open :${PORTS.web}, :${PORTS.api}/healthz and :${PORTS.sync}/healthz and accept each.`);
  return {
    api: { env: { ...tls, ...keep("WEB_ORIGIN", webOrigins), ...keep("SYNC_INTERNAL_URL", `https://127.0.0.1:${PORTS.sync}`) } },
    sync: { env: tls },
    web: { env: { ...tls, ...keep("NEXT_PUBLIC_API_URL", `https://localhost:${PORTS.api}`) }, script: "start:https" },
  };
}

const overrides = process.env.HTTPS === "1" ? await httpsMode() : {};
const apps = [
  { name: "api", color: "cyan" },
  { name: "sync", color: "magenta" },
  { name: "web", color: "green" },
];

const { result } = concurrently(
  apps.map((app) => ({
    name: app.name,
    prefixColor: app.color,
    command: `npm run ${overrides[app.name]?.script ?? "start"} --silent -w @sync-beats/${app.name}`,
    env: { NEXT_TELEMETRY_DISABLED: "1", ...overrides[app.name]?.env },
  })),
  { killOthersOn: ["failure"], cwd: root },
);

result.then(
  () => process.exit(0),
  () => process.exit(1),
);
