/**
 * An exact frame index of an MP3 or an ADTS AAC file (`Mp3FrameIndex` of the protocol): built by
 * walking every frame header of the file once (the API does it at upload), and read by the
 * streamed source to cut a range at a known audio frame. A variable-bitrate file has no other
 * exact way from bytes to samples: an MP3's Xing TOC places a frame within about 1 % of the file,
 * and an ADTS stream has nothing at all.
 */
import { MP3_FRAME_INDEX_REL, type Mp3FrameIndex } from "@sync-beats/protocol";
import { adtsFrameBytes, adtsStreamAt } from "./adts.js";
import { findAudioFrameZero, parseMp3Layout } from "./mp3-layout.js";
import { id3v2Size, parseMpegFrameHeader } from "./mpeg-audio.js";

/** How a format's frames are found: where frame 0 is in the head, and each frame's length. */
interface FrameSyntax {
  /** Audio frame 0's offset in `head` (bytes after any ID3v2 tag), and what later frames must match; null: not this format. */
  start(head: Uint8Array): { readonly audioStart: number; frameBytes(bytes: Uint8Array, at: number): number | null } | null;
  /** Bytes of a frame header: a frame is read once this many of its bytes are in. */
  readonly headerBytes: number;
}

const MP3_FRAMES: FrameSyntax = {
  headerBytes: 4,
  start(head) {
    const zero = findAudioFrameZero(head);
    if (!zero) return null;
    const { sampleRate } = zero.first;
    return {
      audioStart: zero.audioStart,
      frameBytes(bytes, at) {
        const header = parseMpegFrameHeader(bytes, at);
        return header && header.sampleRate === sampleRate ? header.frameBytes : null;
      },
    };
  },
};

const ADTS_FRAMES: FrameSyntax = {
  headerBytes: 7,
  start(head) {
    // ADTS frame 0 is at the start (after a tag): a stream found later would be a guess.
    const first = adtsStreamAt(head, 0);
    return first && { audioStart: 0, frameBytes: (bytes, at) => adtsFrameBytes(bytes, at, first) };
  },
};

/** Frames between index entries: about 0.8 s of audio, at most ~1.4 KB × 32 fetched in vain per seek; 5,000 entries per hour. */
export const MP3_FRAME_STEP = 32;
/** Bytes after an ID3v2 tag read before looking for audio frame 0 (as the engine's head request). */
const HEAD_BYTES = 64 * 1024;

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * Walks the MP3 whose bytes `chunks` yields in order, from the file's first byte. Null when it
 * is not an MP3. The walk ends at the first thing that is not a frame of the same stream (an
 * ID3v1 or APE tag, junk, a truncated last frame).
 */
export function buildMp3FrameIndex(chunks: AsyncIterable<Uint8Array>, frameStep = MP3_FRAME_STEP): Promise<Mp3FrameIndex | null> {
  return buildFrameIndex(chunks, MP3_FRAMES, frameStep);
}

/** The same for an ADTS AAC file (AAC-LC, 1024 samples a frame; audio frame 0 its first frame). */
export function buildAdtsFrameIndex(chunks: AsyncIterable<Uint8Array>, frameStep = MP3_FRAME_STEP): Promise<Mp3FrameIndex | null> {
  return buildFrameIndex(chunks, ADTS_FRAMES, frameStep);
}

async function buildFrameIndex(chunks: AsyncIterable<Uint8Array>, syntax: FrameSyntax, frameStep: number): Promise<Mp3FrameIndex | null> {
  let buffer: Uint8Array = new Uint8Array(0);
  /** File offset of `buffer[0]`. */
  let bufferStart = 0;
  let walk: Walk | null = null;
  let ended = false;
  for await (const chunk of chunks) {
    buffer = concat(buffer, chunk);
    if (!walk) {
      const tagEnd = id3v2Size(buffer);
      if (buffer.length < tagEnd + HEAD_BYTES) continue;
      walk = startWalk(buffer, tagEnd);
      if (!walk) return null;
    }
    ended = walkFrames(walk, buffer, bufferStart, syntax.headerBytes);
    if (ended) break;
    // Only the bytes of frames not walked yet are kept.
    const drop = Math.min(buffer.length, walk.next - bufferStart);
    buffer = buffer.slice(drop);
    bufferStart += drop;
  }
  walk ??= startWalk(buffer, id3v2Size(buffer));
  if (!walk) return null;
  if (!ended) walkFrames(walk, buffer, bufferStart, syntax.headerBytes);
  const fileEnd = bufferStart + buffer.length;
  // A last frame cut short by the end of the file is not a whole frame.
  if (walk.next > fileEnd) {
    walk.frames--;
    if (walk.frames % frameStep === 0) walk.offsets.pop();
    walk.next = walk.lastStart;
  }
  const { offsets } = walk;
  const steps = offsets.slice(1).map((offset, i) => offset - offsets[i]!);
  return { frameStep, audioStart: walk.audioStart, audioEnd: walk.next, frameCount: Math.max(0, walk.frames), steps };

  function startWalk(bytes: Uint8Array, tagEnd: number): Walk | null {
    const zero = syntax.start(bytes.subarray(tagEnd));
    if (!zero) return null;
    const audioStart = tagEnd + zero.audioStart;
    return { audioStart, frameBytes: zero.frameBytes, next: audioStart, lastStart: audioStart, frames: 0, offsets: [], frameStep };
  }
}

/**
 * The playable length (ms) of an MP3 whose frames `index` walked, when the file holds fewer frames
 * than its head says (a truncated upload: its Xing header still claims the whole song), else
 * null. `head` is the file from `headOffset`, where any ID3v2 tag ends [M8].
 */
export function truncatedMp3DurationMs(head: Uint8Array, headOffset: number, fileSize: number, index: Mp3FrameIndex): number | null {
  const layout = parseMp3Layout(head, headOffset, fileSize);
  if (!layout || index.frameCount >= layout.frameCount) return null;
  return (Math.max(0, index.frameCount * layout.samplesPerFrame - layout.leadingTrim) / layout.sampleRate) * 1000;
}

/** A walk through the frames: where the next header is, and what was seen. */
interface Walk {
  readonly audioStart: number;
  /** The length of the frame at `at` of `bytes`, or null when none of this stream is there. */
  frameBytes(bytes: Uint8Array, at: number): number | null;
  readonly frameStep: number;
  next: number;
  lastStart: number;
  frames: number;
  readonly offsets: number[];
}

/** Walks the frames whose headers `buffer` (file bytes from `bufferStart`) holds; true when the stream of frames ended. */
function walkFrames(walk: Walk, buffer: Uint8Array, bufferStart: number, headerBytes: number): boolean {
  for (;;) {
    const at = walk.next - bufferStart;
    if (at + headerBytes > buffer.length) return false;
    const frameBytes = walk.frameBytes(buffer, at);
    if (frameBytes === null) return true;
    if (walk.frames % walk.frameStep === 0) walk.offsets.push(walk.next);
    walk.frames++;
    walk.lastStart = walk.next;
    walk.next += frameBytes;
  }
}

/** An index read for lookups: the file offset of every indexed frame. */
export interface FrameIndexLookup {
  /** The indexed frame at or before `frame`, and its offset. */
  atOrBefore(frame: number): { readonly frame: number; readonly offset: number };
  /** The offset of the indexed frame at or after `frame` (the end of the audio past the last one). */
  offsetAtOrAfter(frame: number): number;
}

export function frameIndexLookup(index: Mp3FrameIndex): FrameIndexLookup {
  const offsets = new Float64Array(index.steps.length + 1);
  offsets[0] = index.audioStart;
  index.steps.forEach((step, i) => (offsets[i + 1] = offsets[i]! + step));
  const last = offsets.length - 1;
  return {
    atOrBefore(frame) {
      const i = Math.max(0, Math.min(last, Math.floor(frame / index.frameStep)));
      return { frame: i * index.frameStep, offset: offsets[i]! };
    },
    offsetAtOrAfter(frame) {
      const i = Math.max(0, Math.ceil(frame / index.frameStep));
      return i > last ? index.audioEnd : offsets[i]!;
    },
  };
}

/**
 * The frame index a track's audio response names in its `Link` header (rel
 * {@link MP3_FRAME_INDEX_REL}), resolved against the track's URL; null when it names none.
 */
export function linkedFrameIndexUrl(link: string | null, trackUrl: string): string | null {
  if (!link) return null;
  for (const match of link.matchAll(/<([^>]*)>([^,<]*)/g)) {
    const rel = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(match[2]!)?.[1];
    if (rel?.split(/\s+/).includes(MP3_FRAME_INDEX_REL)) {
      try {
        return new URL(match[1]!, trackUrl).toString();
      } catch {
        return null;
      }
    }
  }
  return null;
}
