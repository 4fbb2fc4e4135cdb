import type { QueueItem } from "@sync-beats/protocol";
import { signTrackGrant, verifyTrackGrant } from "@sync-beats/ticket";

/** The secret queue tests sign track grants with (as the API would, with the sync secret). */
export const GRANT_SECRET = "queue-test-grant-secret-0123456789";

/** A short library track: `seconds` long, served from the API. */
export function libraryTrack(trackId: string, seconds = 4): QueueItem["track"] {
  return { trackId, audioUrl: `http://127.0.0.1:5001/api/tracks/${trackId}/audio`, duration: seconds * 1000, title: `Track ${trackId}` };
}

/** A grant for `track`, valid for a day from `nowMs`. */
export function grantFor(track: QueueItem["track"], nowMs: number): string {
  return signTrackGrant(track, GRANT_SECRET, nowMs);
}

/** What the sync server does with a grant (the production verifier, with the test secret). */
export const resolveTestTrack = (grant: string, wallNowMs: number) => verifyTrackGrant(grant, GRANT_SECRET, wallNowMs);
