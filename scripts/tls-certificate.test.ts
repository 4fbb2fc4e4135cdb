import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { get } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { loadConfig as loadApiConfig, startServer as startApi } from "@sync-beats/api";
import { loadConfig as loadSyncConfig, startSyncServer } from "@sync-beats/sync";
import { certificateCovers, ensureCertificate } from "./tls-certificate.mjs";

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "sync-beats-tls-"));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** GET over https trusting only `ca`; resolves with the status, or rejects with the TLS error. */
function httpsStatus(url: string, ca: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = get(url, { ca }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on("error", reject);
  });
}

function wssOpens(url: string, ca: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { ca });
    socket.once("open", () => {
      socket.close();
      resolve();
    });
    socket.once("error", reject);
  });
}

describe("HTTPS mode's certificate", () => {
  it("names localhost, 127.0.0.1 and every LAN address, is kept while it does, and is made again when one is missing or it nears expiry", async () => {
    const dir = tempDir();
    const first = await ensureCertificate(dir, ["192.168.1.20"]);
    expect(first.created).toBe(true);
    const pem = readFileSync(first.certFile, "utf8");
    const altNames = new X509Certificate(pem).subjectAltName;
    expect(altNames).toContain("DNS:localhost");
    expect(altNames).toContain("IP Address:127.0.0.1");
    expect(altNames).toContain("IP Address:192.168.1.20");
    expect((await ensureCertificate(dir, ["192.168.1.20"])).created).toBe(false);
    expect(certificateCovers(pem, ["10.0.0.7"])).toBe(false);
    expect(certificateCovers(pem, ["192.168.1.20"], new Date(Date.now() + 800 * 86_400_000))).toBe(false);
    const renewed = await ensureCertificate(dir, ["10.0.0.7"]);
    expect(renewed.created).toBe(true);
    expect(new X509Certificate(readFileSync(renewed.certFile, "utf8")).subjectAltName).toContain("IP Address:10.0.0.7");
  });
});

describe("servers in TLS mode", () => {
  it("the sync server answers https and wss with the generated certificate trusted, and a client not trusting it is refused", async () => {
    const dir = tempDir();
    const { certFile, keyFile } = await ensureCertificate(join(dir, "tls"), []);
    const ca = readFileSync(certFile, "utf8");
    const config = loadSyncConfig({ PORT: "0", HOST: "127.0.0.1", DATA_DIR: dir, SYNC_DEV_IDENTITY: "1", LOG_LEVEL: "silent", TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile });
    const server = await startSyncServer(config, pino({ level: "silent" }));
    try {
      expect(await httpsStatus(`https://127.0.0.1:${server.port}/healthz`, ca)).toBe(200);
      expect(await httpsStatus(`https://localhost:${server.port}/healthz`, ca)).toBe(200);
      await wssOpens(`wss://127.0.0.1:${server.port}/`, ca);
      await expect(httpsStatus(`https://127.0.0.1:${server.port}/healthz`, undefined)).rejects.toThrow(/self[- ]signed|certificate/i);
    } finally {
      await server.close();
    }
  });

  it("the API answers https with the certificate trusted; one of the two files alone is refused at start", async () => {
    const dir = tempDir();
    const { certFile, keyFile } = await ensureCertificate(join(dir, "tls"), []);
    const env = { PORT: "0", HOST: "127.0.0.1", DATA_DIR: dir, LOG_LEVEL: "silent", SEED_DEMO_TRACKS: "0", SYNC_INTERNAL_URL: "https://127.0.0.1:1" };
    expect(() => loadApiConfig({ ...env, TLS_CERT_FILE: certFile })).toThrow(/together/);
    const api = await startApi({ config: loadApiConfig({ ...env, TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile }), logger: pino({ level: "silent" }) });
    try {
      expect(api.url).toMatch(/^https:/);
      expect(await httpsStatus(`${api.url}/healthz`, readFileSync(certFile, "utf8"))).toBe(200);
    } finally {
      await api.close();
    }
  });
});
