// `next start` over TLS, for a LAN party (`HTTPS=1 npm start`): a phone's browser grants the
// microphone and AudioWorklet only to a secure context. Next's own `start` has no TLS option, so
// the built app is served by Next's request handler behind Node's https server.
import { readFileSync } from "node:fs";
import { createServer } from "node:https";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

process.env.NODE_ENV = "production";
const { default: next } = await import("next");

const certFile = process.env.TLS_CERT_FILE;
const keyFile = process.env.TLS_KEY_FILE;
if (!certFile || !keyFile) {
  console.error("serve-https: set TLS_CERT_FILE and TLS_KEY_FILE (HTTPS=1 npm start does)");
  process.exit(1);
}
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOST ?? "0.0.0.0";
const app = next({ dev: false, dir: join(dirname(fileURLToPath(import.meta.url)), ".."), hostname, port });
await app.prepare();
const handle = app.getRequestHandler();
createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile) }, (request, response) => void handle(request, response)).listen(port, hostname, () => {
  console.log(`✓ Ready in https on ${hostname}:${port}`);
});
