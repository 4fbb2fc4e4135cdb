/** `m:ss` (or `h:mm:ss`) for a duration in milliseconds; `--:--` when unknown. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return "--:--";
  const totalSeconds = Math.floor(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const ss = String(seconds).padStart(2, "0");
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}:${ss}` : `${minutes}:${ss}`;
}

/** A millisecond figure for the debug panel: `12.3 ms`, or an em dash when not measured yet. */
export function formatMs(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  return `${value.toFixed(digits)} ms`;
}

/** A signed millisecond figure (`+3.2 ms`, `-0.4 ms`). */
export function formatSignedMs(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  const sign = value > 0 ? "+" : value < 0 ? "−" : "±";
  return `${sign}${Math.abs(value).toFixed(digits)} ms`;
}

/** `1.2 MB` style sizes for the upload list. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "—";
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** The API's MIME types (one per container it accepts) as the short names people know. */
const FORMAT_NAMES: Readonly<Record<string, string>> = {
  "audio/mpeg": "MP3",
  "audio/mp4": "M4A",
  "audio/aac": "AAC",
  "audio/ogg": "OGG",
  "audio/webm": "WEBM",
  "audio/flac": "FLAC",
  "audio/wav": "WAV",
  "audio/aiff": "AIFF",
};

/** A track's format for a badge (`MP3`, `FLAC`…), from its MIME type; parameters are ignored. */
export function formatAudioType(mimeType: string): string {
  const essence = mimeType.split(";")[0]!.trim().toLowerCase();
  return FORMAT_NAMES[essence] ?? (essence.split("/")[1] || essence).toUpperCase();
}
