/**
 * The web app's Content-Security-Policy: a second wall behind React's escaping. Scripts run only
 * with this response's nonce (Next puts it on its own scripts, `'strict-dynamic'` lets those load
 * their chunks), so markup that ever slipped into a page could not run, not even an inline event
 * handler. Everything else stays same-origin, except where the app must reach out:
 *
 * - `connect-src` allows any http(s)/ws(s) origin. The API, the sync server and the audio files may
 *   each live on another origin (`NEXT_PUBLIC_API_URL`, `NEXT_PUBLIC_SOCKET_HOST`, the API's
 *   `PUBLIC_URL`, rewritten to the page's host on a LAN), and only the API knows the last one.
 * - `style-src` allows inline styles: components set `style` attributes, which nonces cannot cover.
 *
 * No `upgrade-insecure-requests`: on a LAN the app and its servers are plain http.
 */
export function contentSecurityPolicy({ nonce, development }: { nonce: string; development: boolean }): string {
  const directives: Record<string, string[]> = {
    "default-src": ["'self'"],
    // Development only: React rebuilds server error stacks in the browser with eval.
    "script-src": ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(development ? ["'unsafe-eval'"] : [])],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'", "http:", "https:", "ws:", "wss:"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(" ")}`)
    .join("; ");
}

/** A fresh, unguessable nonce for one response (128 random bits, base64). */
export function newNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}
