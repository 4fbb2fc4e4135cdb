import type { TrackInfo } from "@sync-beats/protocol";

/** The track fields of `source` alone (a message or command carries more). */
export function trackOf(source: TrackInfo): TrackInfo {
  const { audioUrl, duration, trackId, title, artist } = source;
  return {
    audioUrl,
    duration,
    ...(trackId === undefined ? {} : { trackId }),
    ...(title === undefined ? {} : { title }),
    ...(artist === undefined ? {} : { artist }),
  };
}

/** Whether `a` and `b` describe the same track (by value: states cross process boundaries). */
export function sameTrack(a: TrackInfo, b: TrackInfo): boolean {
  return (
    a.audioUrl === b.audioUrl && a.duration === b.duration && a.trackId === b.trackId && a.title === b.title && a.artist === b.artist
  );
}

/** `value` held to `[0, track.duration]`. */
export function clampToTrack(track: TrackInfo, value: number): number {
  return Math.min(track.duration, Math.max(0, value));
}
