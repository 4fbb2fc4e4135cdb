/**
 * The pacing model of bench:media's throttled link (throttle-proxy.ts): one direction of a link
 * that carries bytes at a fixed rate and delivers each byte a fixed delay after it left. Every
 * connection through the link shares it, as Chromium's CDP emulation shares one throttle among a
 * page's requests. Pure: the caller says what time it is.
 */

/** One direction of the link. */
export interface LinkDirectionModel {
  readonly bitsPerSecond: number;
  /** Added to every byte's trip (half the round trip). */
  readonly delayMs: number;
}

/** 4 Mbit/s each way and 25 ms each way (50 ms round trip): the throttled link, as `THROTTLE` is for CDP. */
export const THROTTLED_DIRECTION: LinkDirectionModel = { bitsPerSecond: 4_000_000, delayMs: 25 };

/** A slice this size (bytes) takes 8 ms at 4 Mbit/s: the link delivers in slices so a large chunk is not one burst. */
export const SLICE_BYTES = 4096;

/** One direction of a shared link: when each slice handed to it arrives at the far end. */
export interface LinkDirection {
  /**
   * Queues `bytes` that reached the link at `nowMs` behind everything queued before (on any
   * connection); returns the instant (same base as `nowMs`) their last byte arrives.
   */
  deliveryMs(bytes: number, nowMs: number): number;
}

export function createLinkDirection(model: LinkDirectionModel): LinkDirection {
  const msPerByte = 8000 / model.bitsPerSecond;
  // When the link has finished sending what it was given so far.
  let busyUntilMs = Number.NEGATIVE_INFINITY;
  return {
    deliveryMs(bytes, nowMs) {
      busyUntilMs = Math.max(nowMs, busyUntilMs) + bytes * msPerByte;
      return busyUntilMs + model.delayMs;
    },
  };
}

/** `length` bytes cut into slices of at most `sliceBytes`: [start, end) pairs. */
export function slices(length: number, sliceBytes = SLICE_BYTES): [number, number][] {
  const out: [number, number][] = [];
  for (let start = 0; start < length; start += sliceBytes) out.push([start, Math.min(length, start + sliceBytes)]);
  return out;
}
