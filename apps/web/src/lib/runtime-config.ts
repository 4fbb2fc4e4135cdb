/** Where the browser finds the two other servers. Read on the server per request, never inlined. */
export interface RuntimeConfig {
  /** Base URL of the REST API, e.g. `http://localhost:5001`. */
  apiUrl: string;
  /** `host:port` of the WebSocket sync server, e.g. `localhost:6001`. */
  socketHost: string;
}

export const DEFAULT_CONFIG: RuntimeConfig = {
  apiUrl: "http://localhost:5001",
  socketHost: "localhost:6001",
};

/**
 * Reads the config from an environment object. Callers pass `process.env` itself: the lookups
 * here go through a variable, so Next does not freeze `NEXT_PUBLIC_*` values at build time and a
 * built app can be repointed by restarting `next start` with other values.
 */
export function readRuntimeConfig(env: Record<string, string | undefined>): RuntimeConfig {
  const pick = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  return {
    apiUrl: (pick("NEXT_PUBLIC_API_URL") ?? DEFAULT_CONFIG.apiUrl).replace(/\/+$/, ""),
    socketHost: (pick("NEXT_PUBLIC_SOCKET_HOST") ?? DEFAULT_CONFIG.socketHost).replace(/^wss?:\/\//, "").replace(/\/+$/, ""),
  };
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * A phone on the LAN opens `http://192.168.1.20:3000`; a default `localhost` API URL would point
 * at the phone itself. When the configured host is loopback but the page is not, use the page's
 * host name with the configured port.
 */
export function resolveForPage(config: RuntimeConfig, pageUrl: { protocol: string; hostname: string }): {
  apiUrl: string;
  syncUrl: string;
} {
  const pageIsLoopback = LOOPBACK.has(pageUrl.hostname);
  const api = new URL(config.apiUrl);
  if (LOOPBACK.has(api.hostname) && !pageIsLoopback) api.hostname = pageUrl.hostname;
  const sync = new URL(`ws://${config.socketHost}/`);
  if (LOOPBACK.has(sync.hostname) && !pageIsLoopback) sync.hostname = pageUrl.hostname;
  if (pageUrl.protocol === "https:") sync.protocol = "wss:";
  return { apiUrl: api.origin, syncUrl: sync.href };
}
