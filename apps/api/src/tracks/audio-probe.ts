import { parseFile } from "music-metadata";

/** What the bytes say they are: never taken from the client's filename or Content-Type. */
export interface AudioProbe {
  mimeType: string;
  extension: string;
  durationMs: number;
  title: string | null;
  artist: string | null;
}

/**
 * Tag or file-name text made safe to store and show: control characters and unpaired surrogates
 * dropped (PostgreSQL refuses NUL), trimmed, at most 200 characters; null when nothing is left.
 */
export function cleanText(value: string | undefined): string | null {
  const cleaned = value?.replace(/[\p{Cc}\p{Cs}]/gu, "").trim().slice(0, 200).trim();
  return cleaned || null;
}

/** Containers we accept, keyed by music-metadata's `format.container` (matched case-insensitively by prefix). */
const CONTAINERS: ReadonlyArray<{ prefix: string; mimeType: string; extension: string }> = [
  { prefix: "wave", mimeType: "audio/wav", extension: ".wav" },
  { prefix: "mpeg", mimeType: "audio/mpeg", extension: ".mp3" },
  { prefix: "flac", mimeType: "audio/flac", extension: ".flac" },
  { prefix: "ogg", mimeType: "audio/ogg", extension: ".ogg" },
  { prefix: "m4a", mimeType: "audio/mp4", extension: ".m4a" },
  { prefix: "mp4", mimeType: "audio/mp4", extension: ".m4a" },
  { prefix: "isom", mimeType: "audio/mp4", extension: ".m4a" },
  { prefix: "adts", mimeType: "audio/aac", extension: ".aac" },
  { prefix: "ebml/webm", mimeType: "audio/webm", extension: ".webm" },
  { prefix: "aiff", mimeType: "audio/aiff", extension: ".aiff" },
];

/**
 * Sniffs the audio file at `path` by parsing it, reading from disk (an upload of hundreds of MB
 * is never held in memory). Without a MIME hint music-metadata must recognise the container from
 * the bytes, so a text file named `song.mp3` fails here. Returns null when the file is not a
 * supported audio file with a known, positive duration.
 */
export async function probeAudio(path: string): Promise<AudioProbe | null> {
  let meta;
  try {
    // parseFile picks the parser from the extension when it has one; a server-made temp name has none.
    meta = await parseFile(path, { duration: true, skipCovers: true });
  } catch {
    return null;
  }
  const container = meta.format.container?.toLowerCase() ?? "";
  const kind = CONTAINERS.find((c) => container.startsWith(c.prefix));
  const seconds = meta.format.duration;
  if (!kind || meta.format.hasAudio === false || seconds === undefined || !Number.isFinite(seconds) || seconds <= 0) return null;
  return {
    mimeType: kind.mimeType,
    extension: kind.extension,
    durationMs: seconds * 1000,
    title: cleanText(meta.common.title),
    artist: cleanText(meta.common.artist),
  };
}
