import { open } from "node:fs/promises";
import type { Mp3FrameIndex } from "@sync-beats/protocol";
import { id3v2Size, truncatedMp3DurationMs } from "@sync-beats/sync-engine/media";

/** Bytes read where the ID3v2 tag ends: as much as the engine's head request reads there. */
const HEAD_BYTES = 64 * 1024;

async function readAt(path: string, position: number, length: number): Promise<Uint8Array> {
  const file = await open(path);
  try {
    const buffer = new Uint8Array(length);
    const { bytesRead } = await file.read(buffer, 0, length, position);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

/**
 * The real length (ms) of the MP3 at `path` when its frames (`index`, walked at upload) end before
 * its header says — a cut-off download still claims the whole song, and would play silence for
 * the rest [TU9] — else null.
 */
export async function truncatedMp3LengthMs(path: string, sizeBytes: number, index: Mp3FrameIndex): Promise<number | null> {
  const tagEnd = id3v2Size(await readAt(path, 0, 10));
  return truncatedMp3DurationMs(await readAt(path, tagEnd, HEAD_BYTES), tagEnd, sizeBytes, index);
}
