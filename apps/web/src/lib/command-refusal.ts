import type { CommandRefusal } from "@sync-beats/sync-engine";

/** How long a refusal stays on screen. */
export const REFUSAL_VISIBLE_MS = 5_000;

const ACTION: Record<CommandRefusal["type"], string> = {
  PLAY: "start a track",
  PAUSE: "pause",
  RESUME: "resume",
  SEEK: "seek",
  TRACK_CHANGE: "change the track",
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
    default:
      return `Could not ${action}: ${refusal.message}`;
  }
}
