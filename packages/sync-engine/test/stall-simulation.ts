import { AudioClockMap, localAtContext } from "../src/audio-clock-map.js";
import { INITIAL_SUPERVISOR_STATE, superviseDrift, type DriftSupervisorState } from "../src/drift-supervisor.js";
import { seededRandom } from "./random.js";

/**
 * A pure closed loop for drift-control tests: a fake audio device on an integer-µs local clock
 * (rate error, output latency, jittered speaker pairs, render stalls), the real speaker map
 * (`AudioClockMap`), the supervisor stepped every 250 ms, and exact bookkeeping of what the
 * speaker plays. The server clock is the local clock; `serverSkewPpm` makes the timeline run
 * that fast while the estimate assumes 0 (a skew not yet fitted).
 */
export interface StallSimOptions {
  readonly seconds: number;
  /** Render stalls: the device stops for `ms` at local second `atS`. */
  readonly stalls: ReadonlyArray<{ readonly atS: number; readonly ms: number }>;
  readonly audioPpm?: number;
  readonly latencyMs?: number;
  /** ± uniform jitter of each speaker pair (headless Chromium ~0.1 ms). */
  readonly pairJitterMs?: number;
  readonly serverSkewPpm?: number;
  /** The clock estimate counts as young (PB14) throughout. */
  readonly estimateYoung?: boolean;
  /** The track starts at this local second (the speaker map has pairs from 0). */
  readonly startS?: number;
  readonly seed?: number;
}

interface Segment {
  readonly c: number;
  readonly pos: number;
  readonly rate: number;
}

/** Per 10 ms: local s, heard − true position (ms, null before the start); and every step's action. */
export interface StallSimResult {
  readonly samples: ReadonlyArray<{ readonly t: number; readonly errorMs: number | null; readonly heardMs: number | null }>;
  readonly seeks: readonly number[];
  readonly rates: ReadonlyArray<{ readonly t: number; readonly rate: number }>;
  readonly state: DriftSupervisorState;
  readonly audioPpm: number;
}

export function simulateStalls(o: StallSimOptions): StallSimResult {
  const audioRate = 1 + (o.audioPpm ?? 1_400) * 1e-6;
  const latencyUs = Math.round((o.latencyMs ?? 35) * 1000);
  const serverRate = 1 + (o.serverSkewPpm ?? 0) * 1e-6;
  const startUs = Math.round((o.startS ?? 10) * 1e6);
  const random = seededRandom(o.seed ?? 7);
  const stalls = o.stalls.map((s) => ({ fromUs: Math.round(s.atS * 1e6), us: Math.round(s.ms * 1000) }));
  const contextOf = (us: number) => {
    const stalled = stalls.reduce((sum, s) => sum + Math.min(Math.max(0, us - s.fromUs), s.us), 0);
    return (Math.max(0, us - stalled) * audioRate) / 1e6;
  };
  const quantum = 128 / 44_100;
  const currentTime = (us: number) => Math.floor(contextOf(us) / quantum) * quantum;
  // The timeline: position 0 at the start instant, running at the server's rate.
  const truthAt = (us: number) => ((us - startUs) / 1000) * serverRate;
  const map = new AudioClockMap();
  let segments: Segment[] = [];
  const positionAt = (c: number): number | null => {
    let seg: Segment | null = null;
    for (const s of segments) if (s.c <= c) seg = s;
    return seg ? seg.pos + (c - seg.c) * 1000 * seg.rate : null;
  };
  let state = INITIAL_SUPERVISOR_STATE;
  let rate = 1;
  const samples: StallSimResult["samples"][number][] = [];
  const seeks: number[] = [];
  const rates: StallSimResult["rates"][number][] = [];
  const endUs = Math.round(o.seconds * 1e6);
  for (let us = 0; us <= endUs; us += 10_000) {
    map.add({ contextTime: contextOf(us - latencyUs), localTimeMs: us / 1000 + (2 * random() - 1) * (o.pairJitterMs ?? 0.1) });
    const fit = map.fit();
    const now = currentTime(us);
    // Local ms at which the speaker plays context time c; the timeline position then.
    const timelineAt = (c: number) => (fit ? truthAt(localAtContext(fit, c) * 1000) : null);
    if (us === startUs && fit) {
      const when = now + 0.05;
      segments = [{ c: when, pos: timelineAt(when)!, rate }];
    } else if (us > startUs && (us - startUs) % 250_000 === 0 && fit) {
      const rendered = positionAt(now);
      const target = timelineAt(now);
      if (rendered !== null && target !== null) {
        const step = superviseDrift(state, {
          nowMs: us / 1000,
          errorMs: rendered - target,
          rawBaseRate: fit.msPerSecond / 1000,
          serverSkew: 0,
          mapPairs: fit.samples,
          mapJumps: map.jumps,
          estimateYoung: o.estimateYoung ?? false,
          naive: false,
        });
        state = step.state;
        if (step.action.kind === "seek") {
          const when = now + 0.05;
          rate = step.action.rate;
          segments = [...segments.filter((s) => s.c < when), { c: when, pos: timelineAt(when)!, rate }];
          seeks.push(us / 1e6);
        } else if (step.action.rate !== rate) {
          rate = step.action.rate;
          segments.push({ c: now, pos: positionAt(now)!, rate });
        }
        rates.push({ t: us / 1e6, rate });
      }
    }
    const heard = positionAt(contextOf(us - latencyUs));
    samples.push({ t: us / 1e6, heardMs: heard, errorMs: heard === null || us < startUs ? null : heard - truthAt(us) });
  }
  return { samples, seeks, rates, state, audioPpm: o.audioPpm ?? 1_400 };
}
