import { z } from "zod";

/**
 * The `rel` of the `Link` header with which a track's audio response names its MP3 frame index
 * (RFC 8288; a URN, as extension relations must be URIs).
 */
export const MP3_FRAME_INDEX_REL = "urn:sync-beats:mp3-frame-index";

/**
 * `GET /api/tracks/:id/mp3-frames`: where every `frameStep`-th audio frame of an MP3 starts,
 * scanned from the file at upload. A variable-bitrate MP3 gives no other exact way from a byte
 * offset to a sample position (its Xing TOC is a 1 % estimate), so a seek by range uses this.
 * Audio frame 0 is the first frame after a Xing/Info frame, if any.
 */
export const Mp3FrameIndex = z.object({
  frameStep: z.number().int().positive(),
  /** File offset of audio frame 0. */
  audioStart: z.number().int().nonnegative(),
  /** File offset just past the last whole frame. */
  audioEnd: z.number().int().nonnegative(),
  /** Audio frames in the file. */
  frameCount: z.number().int().nonnegative(),
  /** Bytes from each indexed frame to the next: frame `(i + 1) × frameStep` starts `steps[i]` after frame `i × frameStep`. */
  steps: z.array(z.number().int().positive()),
});
export type Mp3FrameIndex = z.infer<typeof Mp3FrameIndex>;
