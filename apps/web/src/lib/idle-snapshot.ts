import type { SyncSnapshot } from "@sync-beats/sync-engine";

/** What the room page renders before its engine exists (server render, first client frame). */
export const IDLE_SNAPSHOT: SyncSnapshot = {
  connection: { status: "idle" },
  room: null,
  isHost: false,
  canControl: false,
  roomClosed: null,
  participants: [],
  track: null,
  isPaused: true,
  positionMs: 0,
  timeline: null,
  audio: "locked",
  loading: false,
  stats: {
    rttMs: null,
    oneWayLatencyMs: null,
    serverOffsetMs: null,
    skewPpm: null,
    clockSamples: 0,
    driftMs: null,
    driftHistory: [],
    playbackRate: 1,
    audioSkewPpm: null,
    hardSeeks: 0,
    resyncs: 0,
    invalidFrames: 0,
    outputLatencyOffsetMs: 0,
  },
  lastError: null,
  commands: { pending: 0, lost: 0, lastRefusal: null },
};
