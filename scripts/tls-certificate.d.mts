/** This machine's IPv4 LAN addresses. */
export function lanAddresses(): string[];
/** Whether the PEM certificate names localhost, 127.0.0.1 and every one of `ips`, and is not about to expire. */
export function certificateCovers(certPem: string, ips: readonly string[], now?: Date): boolean;
/** The certificate and key files in `dir`, made when missing or stale. */
export function ensureCertificate(dir: string, ips?: readonly string[], now?: Date): Promise<{ certFile: string; keyFile: string; created: boolean }>;
