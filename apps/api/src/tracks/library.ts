import { createHash, randomUUID } from "node:crypto";
import { createReadStream, mkdirSync, rmSync, statSync } from "node:fs";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import { basename, extname, join } from "node:path";
import { BENCHMARK_TRACKS, DEMO_TRACKS, generateDemoTracks } from "@sync-beats/demo-tracks";
import { buildAdtsFrameIndex, buildMp3FrameIndex } from "@sync-beats/sync-engine/media";
import type { WallClock } from "../wall-clock.js";
import { ApiError } from "../http/errors.js";
import type { Repositories, TrackRecord } from "../repositories/types.js";
import { cleanText, probeAudio } from "./audio-probe.js";
import { truncatedMp3LengthMs } from "./mp3-length.js";

/** Owner of the demo tracks. Its password hash "!" can never verify, so nobody logs in as it. */
export const SYSTEM_USER = { id: "system", username: "system", displayName: "Sync Beats", passwordHash: "!" } as const;

export interface UploadInput {
  /** The uploaded file, already on disk in {@link TrackLibrary.incomingDir}; moved or removed by `upload`. */
  path: string;
  sizeBytes: number;
  clientMimeType: string;
  clientFileName: string;
  ownerUserId: string;
}

/** SHA-256 of a file, streamed (a 500 MB upload is never read into memory). */
export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(createReadStream(path), hash);
  return hash.digest("hex");
}

/** Where the frame index of the audio file at `audioPath` is kept: beside it. */
const frameIndexPath = (audioPath: string) => `${audioPath}.mp3-frames.json`;
/** The formats whose frames are scanned at upload: variable-size frames a seek cannot place otherwise. */
const FRAME_INDEXED = new Map([
  ["audio/mpeg", buildMp3FrameIndex],
  ["audio/aac", buildAdtsFrameIndex],
]);

/**
 * The track library on disk: `<tracksDir>/<server-generated name>` (and an MP3's frame index
 * beside it), metadata in the repository.
 */
export class TrackLibrary {
  /** Frame-index scans of tracks stored without one, by track id (see `frameIndexOf`). */
  private readonly scans = new Map<string, Promise<string | null>>();

  constructor(
    private readonly repos: Repositories,
    readonly tracksDir: string,
    /** Where the multipart parser streams uploads to (server-made names only). */
    readonly incomingDir: string,
    private readonly clock: WallClock,
  ) {
    mkdirSync(tracksDir, { recursive: true });
    // What a crashed process left half-written is never a track: start with an empty incoming dir.
    rmSync(incomingDir, { recursive: true, force: true });
    mkdirSync(incomingDir, { recursive: true });
  }

  /** Absolute path of a stored track; `fileName` is server-made, and `basename` is a second guard. */
  pathOf(track: TrackRecord): string {
    return join(this.tracksDir, basename(track.fileName));
  }

  /** Whether `track`'s format has a frame index (MP3, ADTS): its audio response names one. */
  indexesFramesOf(track: TrackRecord): boolean {
    return FRAME_INDEXED.has(track.mimeType);
  }

  /**
   * The frame index of a stored track (`Mp3FrameIndex` JSON): the file written at upload, else (a
   * track stored before indexes existed) scanned now, written beside the audio, and shared by
   * the requests that asked meanwhile. Null for other formats and files that are not what their
   * type says.
   */
  async frameIndexOf(track: TrackRecord): Promise<string | null> {
    const path = frameIndexPath(this.pathOf(track));
    const stored = await readFile(path, "utf8").catch(() => null);
    const build = FRAME_INDEXED.get(track.mimeType);
    if (stored !== null || !build) return stored;
    let scan = this.scans.get(track.id);
    if (!scan) {
      scan = build(createReadStream(this.pathOf(track)))
        .then(async (index) => {
          if (!index) return null;
          const json = JSON.stringify(index);
          await writeFile(path, json);
          return json;
        })
        .catch(() => null)
        .finally(() => this.scans.delete(track.id));
      this.scans.set(track.id, scan);
    }
    return scan;
  }

  /**
   * Deletes `userId`'s own track: its row, then its audio and frame index [TD1]. A room playing it
   * loses it with the next range it fetches, as when a file is taken off any server.
   */
  async remove(track: TrackRecord, userId: string): Promise<void> {
    if (track.isDemo || track.ownerUserId !== userId) throw new ApiError("NOT_OWNER", "only who uploaded a track may delete it");
    await this.repos.tracks.delete(track.id);
    // A scan of an old upload's index still running would write the index after it was removed.
    await this.scans.get(track.id);
    await rm(this.pathOf(track), { force: true });
    await rm(frameIndexPath(this.pathOf(track)), { force: true });
  }

  /**
   * Checks the declared type, sniffs the file, moves it under a fresh name and records it. The
   * incoming file is gone afterwards on every path: moved on success, removed on any failure.
   */
  async upload(input: UploadInput): Promise<TrackRecord> {
    try {
      return await this.store(input);
    } finally {
      await rm(input.path, { force: true });
    }
  }

  private async store(input: UploadInput): Promise<TrackRecord> {
    if (!input.clientMimeType.toLowerCase().startsWith("audio/")) {
      throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "only audio files can be uploaded");
    }
    const probe = await probeAudio(input.path);
    if (!probe) throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "the file is not a supported audio file");
    const hash = await sha256OfFile(input.path);
    const id = randomUUID();
    const fileName = `${id}${probe.extension}`;
    const target = join(this.tracksDir, fileName);
    // Written before the audio is in place, so a track never plays without its index.
    const buildIndex = FRAME_INDEXED.get(probe.mimeType);
    const frameIndex = buildIndex ? await buildIndex(createReadStream(input.path)) : null;
    const heldMs = frameIndex && probe.mimeType === "audio/mpeg" ? await truncatedMp3LengthMs(input.path, input.sizeBytes, frameIndex) : null;
    if (heldMs !== null && heldMs <= 0) throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "the file holds no whole audio frame");
    if (frameIndex) await writeFile(frameIndexPath(target), JSON.stringify(frameIndex));
    await rename(input.path, target);
    // The client's filename is only ever a fallback title (displayed escaped), never a path.
    const lastSegment = input.clientFileName.split(/[\\/]/).pop() ?? "";
    const fallbackTitle = cleanText(lastSegment.slice(0, lastSegment.length - extname(lastSegment).length)) ?? "Untitled";
    const track: TrackRecord = {
      id,
      ownerUserId: input.ownerUserId,
      title: probe.title ?? fallbackTitle,
      artist: probe.artist,
      durationMs: heldMs ?? probe.durationMs,
      mimeType: probe.mimeType,
      sizeBytes: input.sizeBytes,
      fileName,
      sha256: hash,
      isDemo: false,
      createdAt: new Date(this.clock.now()),
    };
    try {
      await this.repos.tracks.create(track);
    } catch (error) {
      await rm(target, { force: true });
      await rm(frameIndexPath(target), { force: true });
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
      const probe = await probeAudio(path);
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
        sha256: await sha256OfFile(path),
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
