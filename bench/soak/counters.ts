/** What the fleet counts over a soak, besides its delivery ledgers. */

/** A RESYNC, or a pong whose server position disagreed with the client's timeline. */
export interface DriftRecord {
  room: string;
  client: number;
  /** Client minus server position; NaN when one side had no track. */
  driftMs: number;
  /** How long the client had been joined: a RESYNC right after a join points at the join. */
  sinceJoinMs: number;
}

export interface FleetCounters {
  commandsSent: number;
  /** Command turns with the host offline (it was churning): nothing sent. */
  commandsSkipped: number;
  commandsRefused: number;
  pingsSent: number;
  syncChecksSent: number;
  framesReceived: number;
  resyncs: number;
  /** Times a client's timeline came to disagree with the server's (seen in a pong). */
  divergences: number;
  /** Pongs whose `playbackPosition` disagreed with the client's timeline. */
  divergentPongs: number;
  churnLeaves: number;
  rejoins: number;
  invalidFrames: number;
}

export function newCounters(): FleetCounters {
  return {
    commandsSent: 0,
    commandsSkipped: 0,
    commandsRefused: 0,
    pingsSent: 0,
    syncChecksSent: 0,
    framesReceived: 0,
    resyncs: 0,
    divergences: 0,
    divergentPongs: 0,
    churnLeaves: 0,
    rejoins: 0,
    invalidFrames: 0,
  };
}
