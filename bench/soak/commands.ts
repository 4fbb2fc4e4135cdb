import type { ControlMessage, ServerMessage } from "@sync-beats/protocol";

/** Longer than any run, so no track ends on its own. */
export const TRACK_DURATION_MS = 3_600_000;

/** What a room's host does, in turn, from its first command on: every command type, paused and playing. */
const CYCLE = ["PLAY", "SEEK", "PAUSE", "SEEK", "RESUME", "TRACK_CHANGE"] as const;

/**
 * The host's `seq`-th command (from 0). Track URLs and seek positions carry `seq`, so the broadcast
 * names its command; PAUSE and RESUME carry nothing of the client's and are matched by type.
 */
export function commandFor(roomCode: string, seq: number): ControlMessage {
  const track = { audioUrl: `/soak/${roomCode}-${seq}.wav`, duration: TRACK_DURATION_MS, title: `soak ${seq}` };
  const type = CYCLE[seq % CYCLE.length]!;
  const id = `${roomCode}-${seq}`;
  switch (type) {
    case "PLAY":
      return { type, id, ...track };
    case "TRACK_CHANGE":
      return { type, id, trackData: track };
    case "SEEK":
      // Within the shortest queued track (QUEUE_TRACK_MS): a SEEK the server clamps to a track's end
      // would broadcast another position than the one its receipt key names.
      return { type, id, seekPositionMs: 100 + (seq % 97) * 30 };
    case "PAUSE":
    case "RESUME":
      return { type, id };
  }
}

/** The key a command's broadcast is recognised by; null for frames that are not command broadcasts. */
export function receiptKey(message: ControlMessage | ServerMessage): string | null {
  switch (message.type) {
    case "PLAY":
      return `PLAY ${message.audioUrl}`;
    case "TRACK_CHANGE":
      return `TRACK_CHANGE ${message.trackData.audioUrl}`;
    case "SEEK":
      return `SEEK ${message.seekPositionMs}`;
    case "PAUSE":
    case "RESUME":
      return message.type;
    default:
      return null;
  }
}
