// The self-signed certificate of `HTTPS=1 npm start`: made locally (the `selfsigned` library),
// kept in DATA_DIR/tls so a phone that accepted it once keeps trusting it, and made again only
// when it no longer names every address the servers are reached at (a new Wi-Fi, a new DHCP lease).
import { X509Certificate } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { networkInterfaces } from "node:os";
import { join } from "node:path";
import { generate } from "selfsigned";

/** Validity: Apple's platforms refuse TLS server certificates valid for more than 825 days. */
const VALID_DAYS = 825;
/** Made again this close to its expiry. */
const RENEW_BEFORE_DAYS = 30;

/** This machine's IPv4 LAN addresses (what a phone on the same network opens). */
export function lanAddresses() {
  return Object.values(networkInterfaces())
    .flat()
    .filter((entry) => entry && entry.family === "IPv4" && !entry.internal)
    .map((entry) => entry.address);
}

/** The names and addresses a certificate for `ips` must carry: localhost too, so desktop use keeps working. */
function wantedNames(ips) {
  return { dns: ["localhost"], ips: ["127.0.0.1", ...ips] };
}

/** Whether the PEM certificate names every wanted DNS name and IP, and is not about to expire. */
export function certificateCovers(certPem, ips, now = new Date()) {
  const certificate = new X509Certificate(certPem);
  const altNames = (certificate.subjectAltName ?? "").split(", ");
  const { dns, ips: wantedIps } = wantedNames(ips);
  const named = dns.every((name) => altNames.includes(`DNS:${name}`)) && wantedIps.every((ip) => altNames.includes(`IP Address:${ip}`));
  const renewAt = new Date(certificate.validTo).getTime() - RENEW_BEFORE_DAYS * 86_400_000;
  return named && now.getTime() < renewAt;
}

/**
 * The certificate and key files in `dir` for `ips` (default: this machine's LAN addresses), made
 * when missing or stale. The certificate is its own CA (what a test or a phone trusts).
 * Resolves with the file paths and whether it was made now.
 */
export async function ensureCertificate(dir, ips = lanAddresses(), now = new Date()) {
  const certFile = join(dir, "cert.pem");
  const keyFile = join(dir, "key.pem");
  if (existsSync(certFile) && existsSync(keyFile) && certificateCovers(readFileSync(certFile, "utf8"), ips, now)) {
    return { certFile, keyFile, created: false };
  }
  const { dns, ips: allIps } = wantedNames(ips);
  const pems = await generate([{ name: "commonName", value: "Sync Beats on this network" }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    notBeforeDate: new Date(now.getTime() - 60_000),
    notAfterDate: new Date(now.getTime() + VALID_DAYS * 86_400_000),
    extensions: [
      { name: "basicConstraints", cA: true },
      { name: "keyUsage", digitalSignature: true, keyCertSign: true },
      { name: "extKeyUsage", serverAuth: true },
      { name: "subjectAltName", altNames: [...dns.map((value) => ({ type: 2, value })), ...allIps.map((ip) => ({ type: 7, ip }))] },
    ],
  });
  mkdirSync(dir, { recursive: true });
  writeFileSync(keyFile, pems.private, { mode: 0o600 });
  writeFileSync(certFile, pems.cert);
  return { certFile, keyFile, created: true };
}
