import type { Track } from "@sync-beats/protocol";
import { signTrackGrant } from "@sync-beats/ticket";

/**
 * Signs library tracks for the sync server's queue [Q2]: the grant says what the API showed
 * (id, title, artist, duration, the URL the requester's devices fetch it from), signed with the
 * sync secret, so the sync server can queue it without asking the database and without trusting
 * the client that sends it.
 */
export function trackGranter(secret: string, now: () => number): (track: Omit<Track, "queueGrant">) => string {
  return (track) =>
    signTrackGrant(
      {
        trackId: track.id,
        audioUrl: track.audioUrl,
        duration: track.durationMs,
        title: track.title,
        ...(track.artist === null ? {} : { artist: track.artist }),
      },
      secret,
      now(),
    );
}
