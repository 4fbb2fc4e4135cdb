/**
 * Writes the demo library (`@sync-beats/demo-tracks`) to a folder, overwriting what is there.
 * Usage: `npx tsx scripts/generate-demo-tracks.ts [outDir]` (default: `data/tracks`). The API
 * writes missing tracks itself on first start; this is for regenerating them by hand.
 */
import { resolve } from "node:path";
import { generateDemoTracks } from "@sync-beats/demo-tracks";

const outDir = resolve(process.argv[2] ?? resolve(import.meta.dirname, "../data/tracks"));
for (const file of generateDemoTracks(outDir, { overwrite: true })) console.log(`wrote ${file}`);
