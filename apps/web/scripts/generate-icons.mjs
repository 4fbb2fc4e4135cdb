#!/usr/bin/env node
// Renders the installable app's PNG icons from the one source drawing, `src/app/icon.svg`, with
// sharp (libvips, no download): run `npm run icons -w @sync-beats/web` after changing the SVG and
// commit the PNGs. Output:
//   public/icons/icon-192.png, icon-512.png   "any": the drawing as it is (rounded, transparent corners)
//   public/icons/maskable-512.png             "maskable": full-bleed background, the drawing inside
//                                              the central 80% safe zone a launcher's mask keeps
//   src/app/apple-icon.png (180)               iOS home screen: full-bleed (iOS rounds it itself);
//                                              Next links it as apple-touch-icon
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";

const webDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const svg = readFileSync(join(webDir, "src/app/icon.svg"));
/** The drawing's own background colour: what the full-bleed icons fill their corners with. */
const BACKGROUND = "#12121a";

/** The SVG rasterised at `size` px square (rendered at a density that gives crisp edges). */
const drawing = (size) => sharp(svg, { density: Math.ceil((72 * size) / 32) }).resize(size, size).png().toBuffer();

async function fullBleed(size, scale, path) {
  const inner = Math.round(size * scale);
  const offset = Math.round((size - inner) / 2);
  await sharp({ create: { width: size, height: size, channels: 4, background: BACKGROUND } })
    .composite([{ input: await drawing(inner), left: offset, top: offset }])
    .png()
    .toFile(path);
  console.log(`wrote ${path}`);
}

for (const size of [192, 512]) {
  const path = join(webDir, `public/icons/icon-${size}.png`);
  await sharp(await drawing(size)).toFile(path);
  console.log(`wrote ${path}`);
}
// 0.8: the maskable safe zone is a circle of 40% radius; the drawing's bars sit well inside it.
await fullBleed(512, 0.8, join(webDir, "public/icons/maskable-512.png"));
await fullBleed(180, 1, join(webDir, "src/app/apple-icon.png"));
