import { mkdirSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEMO_TRACKS, type DemoTrack } from "./catalogue.js";

function exists(path: string): boolean {
  try {
    return statSync(path).size > 0;
  } catch {
    return false;
  }
}

/**
 * Writes every track of `options.tracks` (default: {@link DEMO_TRACKS}) missing from `outDir`
 * (all of them with `overwrite`), each via a temp file and a rename so a concurrent reader never
 * sees half a file. Returns the files written.
 */
export function generateDemoTracks(outDir: string, options: { overwrite?: boolean; tracks?: readonly DemoTrack[] } = {}): string[] {
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  for (const track of options.tracks ?? DEMO_TRACKS) {
    const target = join(outDir, track.fileName);
    if (!options.overwrite && exists(target)) continue;
    const temp = `${target}.${process.pid}.tmp`;
    writeFileSync(temp, track.render());
    renameSync(temp, target);
    written.push(target);
  }
  return written;
}
