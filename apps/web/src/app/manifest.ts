import type { MetadataRoute } from "next";

/** Served as `/manifest.webmanifest`, cached like any static route. */
export const dynamic = "force-static";

/**
 * The web app manifest that makes Sync Beats installable (home screen, app switcher): the room
 * is what people keep open on a phone. Colours match the page (`--bg`, the viewport's
 * theme-color); the icons are rendered from `icon.svg` by `scripts/generate-icons.mjs`.
 */
export default function manifest(): MetadataRoute.Manifest {
  return {
    name: "Sync Beats",
    short_name: "Sync Beats",
    description: "Listen together: every device in the room plays the same track at the same instant.",
    id: "/",
    start_url: "/dashboard",
    scope: "/",
    display: "standalone",
    background_color: "#12121a",
    theme_color: "#12121a",
    icons: [
      { src: "/icons/icon-192.png", sizes: "192x192", type: "image/png", purpose: "any" },
      { src: "/icons/icon-512.png", sizes: "512x512", type: "image/png", purpose: "any" },
      { src: "/icons/maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
    ],
  };
}
