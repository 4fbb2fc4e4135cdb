import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy, newNonce } from "@/lib/content-security-policy";
import { CROSS_ORIGIN_ISOLATION_HEADERS } from "@/lib/cross-origin-isolation";

/**
 * Gives every page its own CSP nonce. Next reads the nonce from the request's
 * Content-Security-Policy header while rendering and puts it on its scripts; the browser gets the
 * same policy on the response. Pages render per request already (the root layout awaits
 * `connection()`), which nonces require. Every page is also cross-origin isolated (fine timers for
 * the sync engine's clock).
 */
export function proxy(request: NextRequest): NextResponse {
  const policy = contentSecurityPolicy({ nonce: newNonce(), development: process.env.NODE_ENV === "development" });
  const headers = new Headers(request.headers);
  headers.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", policy);
  for (const [name, value] of Object.entries(CROSS_ORIGIN_ISOLATION_HEADERS)) response.headers.set(name, value);
  return response;
}

export const config = {
  matcher: [
    {
      // Pages only: static files (the icons, the manifest) carry no scripts to allow, and
      // prefetches are not documents.
      source: "/((?!_next/static|_next/image|icon.svg|apple-icon.png|icons/|manifest.webmanifest).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
