/**
 * Queue consistency over a soak (issue 18): every member that received version v of a room's
 * queue must hold the same order (and the same item playing) as every other member that
 * received v; each member's versions only grow; a queue frame that starts an item comes right
 * after that item's TRACK_CHANGE; and at the end every member reached the server's version and
 * what the members got for it is the server's order. Pure: the fleet feeds it frames.
 */
import type { QueueBroadcast } from "@sync-beats/protocol";
import { queueOrder } from "./queue-actions.js";

export interface QueueAuditCounts {
  /** Queue frames applied by a member (snapshots at join included). */
  applied: number;
  /** A member's frame for version v whose order differed from another member's v. */
  mismatches: number;
  /** Copies of a version the member already had (a join's held frames may repeat its snapshot). */
  staleCopies: number;
  /** Frames that started an item (a new "now playing"). */
  starts: number;
  /** Of those, frames whose item's TRACK_CHANGE had not come just before. */
  startsWithoutTrackChange: number;
}

export interface FinalQueueCheck {
  /** Members whose queue is the server's: its version and its order. */
  agree: number;
  /** Members still on an older version. */
  behind: number;
  /** Members on the server's version with another order, or the server's order unlike the members'. */
  differ: number;
}

type QueueFrame = Pick<QueueBroadcast, "version" | "items" | "nowPlaying">;

interface MemberView {
  version: number;
  fingerprint: string;
  playing: string | null;
}

/** The versions of a room remembered for comparison; older ones are forgotten (members are long past them). */
const KEPT_VERSIONS = 256;

const playingOf = (frame: QueueFrame) => (frame.nowPlaying ? `${frame.nowPlaying.id}@${frame.nowPlaying.startServerMs}` : null);
const fingerprintOf = (frame: QueueFrame) => `${queueOrder(frame.items)}|${playingOf(frame) ?? "-"}`;

export class QueueAudit {
  readonly counts: QueueAuditCounts = { applied: 0, mismatches: 0, staleCopies: 0, starts: 0, startsWithoutTrackChange: 0 };
  private readonly reference = new Map<string, Map<number, string>>();
  private readonly views = new Map<number, MemberView>();

  /**
   * Member `client` of `room` got `frame`; `snapshot` when it is the queue sent with `joined`,
   * `trackChangeUrl` the audio URL of a queued track's TRACK_CHANGE received since its last queue
   * frame. Returns false for a stale copy (not applied).
   */
  observe(room: string, client: number, frame: QueueFrame, snapshot: boolean, trackChangeUrl: string | null): boolean {
    const before = this.views.get(client);
    if (before && frame.version <= before.version) {
      this.counts.staleCopies++;
      return false;
    }
    this.counts.applied++;
    const fingerprint = fingerprintOf(frame);
    const versions = this.reference.get(room) ?? new Map<number, string>();
    this.reference.set(room, versions);
    const known = versions.get(frame.version);
    if (known === undefined) {
      versions.set(frame.version, fingerprint);
      if (versions.size > KEPT_VERSIONS) versions.delete(versions.keys().next().value!);
    } else if (known !== fingerprint) this.counts.mismatches++;
    const playing = playingOf(frame);
    if (!snapshot && playing !== null && playing !== (before?.playing ?? null)) {
      this.counts.starts++;
      if (trackChangeUrl !== frame.nowPlaying!.track.audioUrl) this.counts.startsWithoutTrackChange++;
    }
    this.views.set(client, { version: frame.version, fingerprint, playing });
    return true;
  }

  /** The member left: its next join starts from a snapshot. */
  forget(client: number): void {
    this.views.delete(client);
  }

  /** The version a member holds; -1 before its first queue frame. */
  versionOf(client: number): number {
    return this.views.get(client)?.version ?? -1;
  }

  /** The members of `room` against the server's own queue (`server`: what a fresh joiner got). */
  finalCheck(room: string, server: QueueFrame, members: readonly number[]): FinalQueueCheck {
    const wanted = fingerprintOf(server);
    const seen = this.reference.get(room)?.get(server.version);
    const result: FinalQueueCheck = { agree: 0, behind: 0, differ: 0 };
    for (const client of members) {
      const view = this.views.get(client) ?? { version: 0, fingerprint: fingerprintOf({ version: 0, items: [], nowPlaying: null }), playing: null };
      // A member already past the server's version (the queue advanced meanwhile) agrees when what
      // the members got for that version is the server's.
      if (view.version < server.version) result.behind++;
      else if (view.version === server.version ? view.fingerprint === wanted : seen === wanted) result.agree++;
      else result.differ++;
    }
    return result;
  }
}
