import type { ServerMessage } from "@sync-beats/protocol";

interface Anchor {
  atServerMs: number;
  positionMs: number;
  playing: boolean;
}

/** Anchors kept: commands come seconds apart, so only the last few can still answer a query. */
const KEPT_ANCHORS = 16;

/**
 * What a player renders, rebuilt from the frames a client received: the position it reports in
 * `sync_check`. A client that misses a command reports a wrong position and the server answers
 * with RESYNC, so RESYNCs here point at lost or late frames rather than at audio.
 */
export class PlaybackModel {
  private durationMs = 0;
  private anchors: Anchor[] = [];

  get hasTrack(): boolean {
    return this.anchors.length > 0;
  }

  apply(message: ServerMessage): void {
    switch (message.type) {
      case "PLAY_SYNC":
        this.load(message.duration, { atServerMs: message.atServerMs, positionMs: message.positionMs, playing: !message.isPaused });
        break;
      case "PLAY":
        this.load(message.duration, { atServerMs: message.startServerMs, positionMs: message.positionMs, playing: true });
        break;
      case "TRACK_CHANGE":
        this.load(message.trackData.duration, { atServerMs: message.startServerMs, positionMs: 0, playing: true });
        break;
      case "PAUSE":
        this.append({ atServerMs: message.atServerMs, positionMs: message.positionMs, playing: false });
        break;
      case "RESUME":
        this.append({ atServerMs: message.startServerMs, positionMs: message.positionMs, playing: true });
        break;
      case "SEEK":
        this.append({ atServerMs: message.atServerMs, positionMs: message.seekPositionMs, playing: !message.isPaused });
        break;
      case "RESYNC":
        // The server checks drift only while the room plays, so a RESYNC also says "playing".
        this.append({ atServerMs: message.atServerMs, positionMs: message.correctPosMs, playing: true });
        break;
      default:
        break;
    }
  }

  /** The rendered position at `serverMs`; before the first anchor the track holds at it. */
  positionAt(serverMs: number): number | null {
    const { anchors } = this;
    if (anchors.length === 0) return null;
    let anchor = anchors[0]!;
    for (let index = anchors.length - 1; index > 0; index--) {
      if (anchors[index]!.atServerMs <= serverMs) {
        anchor = anchors[index]!;
        break;
      }
    }
    const elapsed = anchor.playing ? Math.max(0, serverMs - anchor.atServerMs) : 0;
    return Math.min(this.durationMs, Math.max(0, anchor.positionMs + elapsed));
  }

  /** A new track replaces the timeline, as on the server. */
  private load(durationMs: number, anchor: Anchor): void {
    this.durationMs = durationMs;
    this.anchors = [anchor];
  }

  private append(anchor: Anchor): void {
    if (!this.hasTrack) return;
    this.anchors.push(anchor);
    this.anchors.sort((a, b) => a.atServerMs - b.atServerMs);
    if (this.anchors.length > KEPT_ANCHORS) this.anchors.splice(0, this.anchors.length - KEPT_ANCHORS);
  }
}
