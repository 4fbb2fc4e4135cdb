import { EMPTY_TIMELINE, positionFromAnchor, stateAt, type Anchor, type Timeline } from "@sync-beats/timeline";
import { AudioClockMap, audioSkewPpm } from "./audio-clock-map.js";
import type { ClockEstimate } from "./clock-estimator.js";
import { makeClockBridge, type ClockBridge } from "./clock-bridge.js";
import { feedForwardRate, INITIAL_SUPERVISOR_STATE, superviseDrift, type DriftSupervisorState } from "./drift-supervisor.js";
import type { AudioOutput, Clock, DriftPoint, SyncAlgorithm } from "./types.js";

/** How far ahead of `currentTime` a start is scheduled (main → render thread hand-over). */
export const START_LEAD_S = 0.05;
/** Transitions this close (context seconds) are scheduled on the audio clock in advance. */
export const SCHEDULE_HORIZON_S = 1.5;
/** The first start waits for this many clock samples (0.4 s of the burst): a one-ping start is ms off. */
export const MIN_SAMPLES_TO_START = 5;
/**
 * ...and until the offset's typical error (`floorErrorMs`, CE18) is this small (PB17): on a
 * jittery link five pings leave it 3–30 ms off, and starting on that costs an audible re-seek
 * or seconds of slewing a moment later.
 */
export const START_FLOOR_ERROR_MS = 1;
/** ...or this many samples (about 3 s of pings), whichever comes first: a very jittery link still starts. */
export const MAX_SAMPLES_TO_START = 20;

/** Whether `estimate` is good enough to play on (PB12, PB17). */
export function clockReadyToStart(estimate: ClockEstimate | null): boolean {
  if (!estimate || estimate.samples < MIN_SAMPLES_TO_START) return false;
  return estimate.floorErrorMs <= START_FLOOR_ERROR_MS || estimate.samples >= MAX_SAMPLES_TO_START;
}
/**
 * While the clock estimate is young (fewer samples than this, about the first 10 s), its
 * corrections can be several ms and slewing them at 0.5 % would take seconds: larger errors are
 * re-seeked instead (`DriftPolicy.youngSeekMs`), right after the listener started hearing.
 */
export const YOUNG_ESTIMATE_SAMPLES = 60;
/**
 * A same-track anchor whose line differs from the sounding one by more than this (ms) is a
 * transition (SEEK, RESUME elsewhere), not a correction: if it is already due it is joined late in
 * sync (LS5) rather than left to the drift controller.
 */
export const LATE_TRANSITION_MS = 50;
/** Drift measurements kept for the debug chart. */
export const DRIFT_HISTORY_MS = 60_000;

/** What the player last told the audio output. */
type Issued =
  | { readonly kind: "play"; readonly anchor: Anchor; readonly when: number }
  | { readonly kind: "stop"; readonly anchor: Anchor | null };

/** Player figures for the snapshot. */
export interface PlayerStats {
  readonly driftMs: number | null;
  readonly driftHistory: readonly DriftPoint[];
  readonly hardSeeks: number;
  readonly playbackRate: number;
  readonly audioSkewPpm: number | null;
  readonly loading: boolean;
}

/** Dependencies of {@link Player}. */
export interface PlayerDeps {
  readonly audio: AudioOutput;
  readonly clock: Clock;
  readonly algorithm: SyncAlgorithm;
  readonly clockEstimate: () => ClockEstimate | null;
  /** Called when stats or loading state changed (the engine re-snapshots). */
  readonly onChange: () => void;
  /** Called when a track fails to load. */
  readonly onLoadError: (url: string, error: unknown) => void;
}

/**
 * Keeps the audio output on the timeline: schedules every start/stop at its server instant on
 * the audio clock, then measures the rendered position against the timeline and steers it with
 * the drift controller. All maths are in the pure modules; this class only sequences them.
 */
export class Player {
  private timeline: Timeline = EMPTY_TIMELINE;
  private readonly map = new AudioClockMap();
  private issued: Issued | null = null;
  private drift: DriftSupervisorState = INITIAL_SUPERVISOR_STATE;
  private rate = 1;
  private driftMs: number | null = null;
  private history: DriftPoint[] = [];
  private readonly loads = new Map<string, "loading" | "ready" | "failed">();
  private offsetMs = 0;

  constructor(private readonly deps: PlayerDeps) {}

  /** Adopts a new timeline and reconciles at once (commands are scheduled on receipt). */
  setTimeline(timeline: Timeline): void {
    this.timeline = timeline;
    this.reconcile();
  }

  /** Sets the user's output latency offset (ms) and reschedules. */
  setOutputLatencyOffsetMs(ms: number): void {
    this.offsetMs = ms;
    this.reconcile();
  }

  /** Records one speaker timestamp pair (call every ~10 ms while the context runs). */
  sampleAudioClock(): void {
    const pair = this.deps.audio.getState() === "running" ? this.deps.audio.outputTimestamp() : null;
    if (!pair) return;
    this.map.add(pair);
  }

  /** Starts loading `url` (idempotent); reconciles when it is decoded. */
  preload(url: string): void {
    if (this.loads.has(url)) return;
    this.loads.set(url, "loading");
    this.deps.onChange();
    this.deps.audio.load(url).then(
      () => {
        this.loads.set(url, "ready");
        this.deps.onChange();
        this.reconcile();
      },
      (error: unknown) => {
        this.loads.set(url, "failed");
        this.deps.onLoadError(url, error);
        this.deps.onChange();
      },
    );
  }

  /** Forgets a failed load so the next reconcile retries it. */
  retryFailedLoads(): void {
    for (const [url, state] of this.loads) if (state === "failed") this.loads.delete(url);
  }

  /** The conversion for this instant, or null while a clock is unknown or audio is not running. */
  bridge(): ClockBridge | null {
    const { audio, algorithm, clock } = this.deps;
    const estimate = this.deps.clockEstimate();
    if (audio.getState() !== "running" || !estimate) return null;
    if (algorithm === "precise" && !clockReadyToStart(estimate)) return null;
    return makeClockBridge(algorithm, estimate, this.map, audio, clock, this.offsetMs);
  }

  /**
   * Brings the output in line with the timeline: schedules the next transition if it is near,
   * starts or stops the output as the timeline says, and runs one drift-control step.
   */
  reconcile(): void {
    const bridge = this.bridge();
    if (!bridge) return;
    const now = this.deps.audio.currentTime();
    const earliest = now + START_LEAD_S;
    const serverEarliest = bridge.serverAt(earliest);
    const upcoming = this.timeline.anchors.find((a) => a.atServerMs > serverEarliest);
    if (upcoming && bridge.contextAt(upcoming.atServerMs) <= now + SCHEDULE_HORIZON_S) {
      this.apply(upcoming, bridge.contextAt(upcoming.atServerMs), bridge);
      return;
    }
    const state = stateAt(this.timeline, serverEarliest);
    if (!state) return this.stopIfPlaying(null);
    if (state.paused || state.ended) return this.stopIfPlaying(state.anchor);
    const issued = this.issued;
    const continuing = issued?.kind === "play" && issued.when <= now && issued.anchor.track.audioUrl === state.track.audioUrl;
    if (continuing && Math.abs(positionFromAnchor(state.anchor, serverEarliest) - positionFromAnchor(issued.anchor, serverEarliest)) > LATE_TRANSITION_MS) {
      // LS5: a transition that arrived after its instant (a link too slow for the room's lead):
      // silence now, then the new position from the earliest schedulable instant, in sync.
      this.deps.audio.stop();
      this.issued = { kind: "stop", anchor: issued.anchor };
      this.apply(state.anchor, earliest, bridge);
    } else if (continuing) {
      // Same track already sounding: adopt the anchor (a RESYNC, a re-sent PLAY_SYNC) and let
      // the controller decide between a nudge and a re-seek.
      this.issued = { kind: "play", anchor: state.anchor, when: issued.when };
      this.control(bridge, now);
    } else if (issued?.kind !== "play" || issued.anchor !== state.anchor) {
      this.apply(state.anchor, earliest, bridge);
    }
  }

  /** Issues `anchor` at context time `when` (play from the timeline position then, or stop). */
  private apply(anchor: Anchor, when: number, bridge: ClockBridge): void {
    const { audio } = this.deps;
    if (anchor.paused) {
      if (this.issued?.kind === "stop" && this.issued.anchor === anchor) return;
      audio.stop(when);
      this.issued = { kind: "stop", anchor };
      this.driftMs = null;
      return;
    }
    const url = anchor.track.audioUrl;
    if (this.loads.get(url) !== "ready") return this.preload(url);
    const previous = this.issued;
    // A pending start is re-issued only if the clock estimate moved it by more than 0.2 ms.
    if (previous?.kind === "play" && previous.anchor === anchor && Math.abs(previous.when - when) < 2e-4) return;
    const offsetMs = positionFromAnchor(anchor, bridge.serverAt(when));
    this.rate = this.deps.algorithm === "naive" ? 1 : feedForwardRate(this.drift, bridge.baseRate, this.map.fit()?.samples ?? 0);
    audio.start(url, when, offsetMs, this.rate);
    this.issued = { kind: "play", anchor, when };
    this.drift = { ...this.drift, lastStepAtMs: null, rate: this.rate };
  }

  private stopIfPlaying(anchor: Anchor | null): void {
    if (this.issued?.kind === "play") {
      this.deps.audio.stop();
      this.issued = { kind: "stop", anchor };
      this.driftMs = null;
      this.deps.onChange();
    }
  }

  /** One drift-control step at context time `now`. */
  private control(bridge: ClockBridge, now: number): void {
    const rendered = this.deps.audio.renderedPositionMs(now);
    const state = stateAt(this.timeline, bridge.serverAt(now));
    if (rendered === null || !state || state.paused) return;
    const errorMs = rendered - state.positionMs;
    const localNow = this.deps.clock.now();
    const step = superviseDrift(this.drift, {
      nowMs: localNow,
      errorMs,
      rawBaseRate: bridge.baseRate,
      serverSkew: this.deps.clockEstimate()?.skew ?? 0,
      mapPairs: this.map.fit()?.samples ?? 0,
      mapJumps: this.map.jumps,
      estimateYoung: (this.deps.clockEstimate()?.samples ?? 0) < YOUNG_ESTIMATE_SAMPLES,
      naive: this.deps.algorithm === "naive",
    });
    this.drift = step.state;
    this.driftMs = errorMs;
    this.history = [...this.history.filter((p) => p.atMs > localNow - DRIFT_HISTORY_MS), { atMs: localNow, driftMs: errorMs }];
    if (step.action.kind === "seek") {
      const when = now + START_LEAD_S;
      this.rate = step.action.rate;
      this.deps.audio.start(state.track.audioUrl, when, positionFromAnchor(state.anchor, bridge.serverAt(when)), this.rate);
      this.issued = { kind: "play", anchor: state.anchor, when };
    } else if (step.action.rate !== this.rate) {
      this.rate = step.action.rate;
      this.deps.audio.setRate(this.rate, now);
    }
  }

  /** What the speaker plays now: track position and the server instant it is heard at. */
  renderedNow(): { positionMs: number; serverMs: number } | null {
    const bridge = this.bridge();
    if (!bridge || this.issued?.kind !== "play") return null;
    const now = this.deps.audio.currentTime();
    const positionMs = this.deps.audio.renderedPositionMs(now);
    return positionMs === null ? null : { positionMs, serverMs: bridge.serverAt(now) };
  }

  /** Plays the calibration click on the next whole server second at least 200 ms away. */
  playCalibrationClick(): boolean {
    const bridge = this.bridge();
    if (!bridge) return false;
    const earliest = bridge.serverAt(this.deps.audio.currentTime()) + 200;
    this.deps.audio.playClick(bridge.contextAt(Math.ceil(earliest / 1000) * 1000));
    return true;
  }

  /** Stops playback and forgets what was issued (on disconnect). */
  stop(): void {
    if (this.issued?.kind === "play") this.deps.audio.stop();
    this.issued = null;
    this.driftMs = null;
  }

  /** Figures for the snapshot. */
  stats(): PlayerStats {
    const fit = this.map.fit();
    return {
      driftMs: this.driftMs,
      driftHistory: this.history,
      hardSeeks: this.drift.pi.hardSeeks,
      playbackRate: this.rate,
      audioSkewPpm: fit && fit.samples > 1 ? audioSkewPpm(fit) : null,
      loading: [...this.loads.values()].includes("loading"),
    };
  }
}
