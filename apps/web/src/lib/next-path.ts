const FALLBACK = "/dashboard";
/** A base no page is served from: anything that resolves elsewhere leaves the site. */
const PROBE_ORIGIN = "http://next-path.invalid";

/**
 * Where to go after login: a path on this site, or the dashboard. Browsers read `/\evil.example`
 * and `/<tab>/evil.example` as `//evil.example` (another host), so the value is resolved the way
 * the browser will resolve it, and the normalised path is what is followed (no open redirect).
 */
export function safeNextPath(value: string | null | undefined): string {
  if (!value?.startsWith("/")) return FALLBACK;
  let url: URL;
  try {
    url = new URL(value, PROBE_ORIGIN);
  } catch {
    return FALLBACK;
  }
  return url.origin === PROBE_ORIGIN ? `${url.pathname}${url.search}${url.hash}` : FALLBACK;
}
