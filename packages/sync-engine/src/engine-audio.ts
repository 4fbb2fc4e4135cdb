import type { Timeline } from "@sync-beats/timeline";
import type { ClockEstimate } from "./clock-estimator.js";
import { ENGINE_TIMING } from "./engine-timing.js";
import { Player } from "./player.js";
import type { AudioOutput, Clock, Disposer, SyncAlgorithm } from "./types.js";
import { createWebAudioOutput } from "./web-audio-output.js";

/** Dependencies of {@link EngineAudio}. */
export interface EngineAudioDeps {
  readonly clock: Clock;
  /** An injected output (the caller's: never disposed here); by default a Web Audio one is made on first use. */
  readonly audio: AudioOutput | undefined;
  readonly algorithm: SyncAlgorithm;
  readonly outputLatencyOffsetMs: number;
  readonly clockEstimate: () => ClockEstimate | null;
  /** Stats, loading or audio state changed (the engine re-snapshots). */
  readonly onChange: () => void;
  readonly onLoadError: (url: string, error: unknown) => void;
}

/**
 * The engine's audio side: owns the output and the {@link Player} (both made on first use, so an
 * engine that never plays opens no audio context), the user's output latency offset, and the
 * two audio timers (speaker pairs, drift control).
 */
export class EngineAudio {
  private output: AudioOutput | null;
  private current: Player | null = null;
  private unwatch: Disposer | null = null;
  private timers: Disposer[] = [];
  private offset: number;

  constructor(private readonly deps: EngineAudioDeps) {
    this.output = deps.audio ?? null;
    this.offset = deps.outputLatencyOffsetMs;
  }

  /** The output, made now if need be. */
  get audio(): AudioOutput {
    this.output ??= createWebAudioOutput();
    return this.output;
  }

  /** The output if one exists (without making one). */
  get existingOutput(): AudioOutput | null {
    return this.output;
  }

  /** The player, made now (with the output) if need be. */
  get player(): Player {
    if (!this.current) {
      const player = new Player({
        audio: this.audio,
        clock: this.deps.clock,
        algorithm: this.deps.algorithm,
        clockEstimate: this.deps.clockEstimate,
        onChange: this.deps.onChange,
        onLoadError: this.deps.onLoadError,
      });
      player.setOutputLatencyOffsetMs(this.offset);
      this.unwatch = this.audio.onStateChange(() => {
        this.current?.reconcile();
        this.deps.onChange();
      });
      this.current = player;
    }
    return this.current;
  }

  /** The player if one exists (without making one). */
  get existingPlayer(): Player | null {
    return this.current;
  }

  get outputLatencyOffsetMs(): number {
    return this.offset;
  }

  /** Starts sampling the speaker clock and the periodic control step (`control` runs each period). */
  start(control: () => void): void {
    const player = this.player;
    this.timers.push(this.deps.clock.setInterval(() => player.sampleAudioClock(), ENGINE_TIMING.audioSamplePeriodMs));
    this.timers.push(this.deps.clock.setInterval(control, ENGINE_TIMING.controlPeriodMs));
  }

  /** Unlocks audio (from a user gesture), retries failed loads and reconciles with `timeline`. */
  async unlock(timeline: Timeline): Promise<void> {
    const player = this.player;
    await this.audio.unlock();
    player.retryFailedLoads();
    for (const anchor of timeline.anchors) player.preload(anchor.track.audioUrl);
    player.reconcile();
  }

  setOutputLatencyOffsetMs(ms: number): void {
    this.offset = Number.isFinite(ms) ? ms : 0;
    this.current?.setOutputLatencyOffsetMs(this.offset);
  }

  /**
   * Stops playback and the timers and forgets the player. An injected output belongs to the
   * caller; one made here is released (a new one is made on next use).
   */
  release(): void {
    for (const dispose of this.timers) dispose();
    this.timers = [];
    this.current?.stop();
    this.unwatch?.();
    this.unwatch = null;
    this.current = null;
    if (!this.deps.audio) {
      this.output?.dispose();
      this.output = null;
    }
  }
}
