import { createHash, randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, statSync } from "node:fs";
import { rename, rm, writeFile } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import { BENCHMARK_TRACKS, DEMO_TRACKS, generateDemoTracks } from "@sync-beats/demo-tracks";
import type { WallClock } from "../wall-clock.js";
import { ApiError } from "../http/errors.js";
import type { Repositories, TrackRecord } from "../repositories/types.js";
import { cleanText, probeAudio } from "./audio-probe.js";

/** Owner of the demo tracks. Its password hash "!" can never verify, so nobody logs in as it. */
export const SYSTEM_USER = { id: "system", username: "system", displayName: "Sync Beats", passwordHash: "!" } as const;

export interface UploadInput {
  bytes: Buffer;
  clientMimeType: string;
  clientFileName: string;
  ownerUserId: string;
}

export const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** The track library on disk: `<tracksDir>/<server-generated name>`, metadata in the repository. */
export class TrackLibrary {
  constructor(
    private readonly repos: Repositories,
    readonly tracksDir: string,
    private readonly clock: WallClock,
  ) {
    mkdirSync(tracksDir, { recursive: true });
  }

  /** Absolute path of a stored track; `fileName` is server-made, and `basename` is a second guard. */
  pathOf(track: TrackRecord): string {
    return join(this.tracksDir, basename(track.fileName));
  }

  /** Checks the declared type, sniffs the bytes, stores the file under a fresh name and records it. */
  async upload(input: UploadInput): Promise<TrackRecord> {
    if (!input.clientMimeType.toLowerCase().startsWith("audio/")) {
      throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "only audio files can be uploaded");
    }
    const probe = await probeAudio(input.bytes);
    if (!probe) throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "the file is not a supported audio file");
    const id = randomUUID();
    const fileName = `${id}${probe.extension}`;
    const target = join(this.tracksDir, fileName);
    await writeFile(`${target}.tmp`, input.bytes, { flag: "wx" });
    await rename(`${target}.tmp`, target);
    // The client's filename is only ever a fallback title (displayed escaped), never a path.
    const lastSegment = input.clientFileName.split(/[\\/]/).pop() ?? "";
    const fallbackTitle = cleanText(lastSegment.slice(0, lastSegment.length - extname(lastSegment).length)) ?? "Untitled";
    const track: TrackRecord = {
      id,
      ownerUserId: input.ownerUserId,
      title: probe.title ?? fallbackTitle,
      artist: probe.artist,
      durationMs: probe.durationMs,
      mimeType: probe.mimeType,
      sizeBytes: input.bytes.length,
      fileName,
      sha256: sha256(input.bytes),
      isDemo: false,
      createdAt: new Date(this.clock.now()),
    };
    try {
      await this.repos.tracks.create(track);
    } catch (error) {
      await rm(target, { force: true });
      throw error;
    }
    return track;
  }

  /**
   * Renders missing demo files and upserts their rows, owned by {@link SYSTEM_USER}. Safe to run on
   * every start: same files, same ids, same rows. The benchmark fixtures join them only with
   * `benchmark`; otherwise a row an earlier start left for them is removed, so people never see
   * them in the library (TR4).
   */
  async seedDemoTracks(options: { benchmark: boolean }): Promise<TrackRecord[]> {
    await this.repos.users.create({ ...SYSTEM_USER, createdAt: new Date(0) });
    const tracks = options.benchmark ? [...DEMO_TRACKS, ...BENCHMARK_TRACKS] : DEMO_TRACKS;
    if (!options.benchmark) {
      for (const fixture of BENCHMARK_TRACKS) {
        if ((await this.repos.tracks.find(fixture.id))?.ownerUserId === SYSTEM_USER.id) await this.repos.tracks.delete(fixture.id);
      }
    }
    generateDemoTracks(this.tracksDir, { tracks });
    const seeded: TrackRecord[] = [];
    for (const [index, demo] of tracks.entries()) {
      const path = join(this.tracksDir, demo.fileName);
      const bytes = readFileSync(path);
      const probe = await probeAudio(bytes);
      if (!probe) throw new Error(`demo track ${demo.fileName} does not parse`);
      const track: TrackRecord = {
        id: demo.id,
        ownerUserId: SYSTEM_USER.id,
        title: demo.title,
        artist: demo.artist,
        durationMs: probe.durationMs,
        mimeType: probe.mimeType,
        sizeBytes: statSync(path).size,
        fileName: demo.fileName,
        sha256: sha256(bytes),
        isDemo: true,
        // Fixed, ordered timestamps keep the demo order stable in listings (newest first).
        createdAt: new Date(Date.UTC(2026, 0, 1) - index * 1000),
      };
      await this.repos.tracks.upsert(track);
      seeded.push(track);
    }
    return seeded;
  }
}
