import type { CommandRefusal } from "@sync-beats/sync-engine";

/** How long a refusal stays on screen. */
export const REFUSAL_VISIBLE_MS = 5_000;

const ACTION: Record<CommandRefusal["type"], string> = {
  PLAY: "start a track",
  PAUSE: "pause",
  RESUME: "resume",
  SEEK: "seek",
  TRACK_CHANGE: "change the track",
  queue_add: "add to the queue",
  queue_remove: "remove that item",
  queue_move: "move that item",
  queue_play_next: "play that next",
  queue_play_now: "play that now",
};

/**
 * What the person who clicked reads when the sync server refused their command: why, in the
 * room's words (the host controls playback; listeners only when the owner allows it).
 */
export function describeRefusal(refusal: Pick<CommandRefusal, "type" | "code" | "message">, hostName: string | null): string {
  const action = ACTION[refusal.type];
  switch (refusal.code) {
    case "NOT_HOST":
      return hostName ? `Only the host can ${action} — ask ${hostName}.` : `Only the host can ${action}.`;
    case "NO_TRACK":
      return `Nothing to ${action} yet: pick a track first.`;
    case "UNAVAILABLE":
    case "RATE_LIMITED":
      return `Could not ${action} just now: try again in a moment.`;
    case "NOT_JOINED":
      return `Not connected yet: could not ${action}.`;
    case "NOT_ALLOWED":
      return `You may not ${action} in this room.`;
    case "STALE_QUEUE":
      return `The queue changed meanwhile: could not ${action}. Look again and retry.`;
    case "QUEUE_FULL":
      return `The queue is full: could not ${action}.`;
    case "UNKNOWN_TRACK":
      return `That track is not in the library any more: could not ${action}.`;
    default:
      return `Could not ${action}: ${refusal.message}`;
  }
}
