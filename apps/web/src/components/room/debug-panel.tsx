"use client";

import type { SyncSnapshot } from "@sync-beats/sync-engine";
import { formatMs, formatSignedMs } from "@/lib/format";
import { DriftChart } from "./drift-chart";

const localNow = () => performance.now();

/**
 * The engine's offset is server time minus `performance.now()`, a huge number. Shown against this
 * device's wall clock instead: 0 when both clocks agree.
 */
function wallClockOffset(serverOffsetMs: number | null): number | null {
  return serverOffsetMs === null ? null : serverOffsetMs - (Date.now() - performance.now());
}

/** Clock-sync and drift figures from the engine, plus the 60 s drift chart. */
export function DebugPanel({ snapshot }: { snapshot: SyncSnapshot }) {
  const { stats, track } = snapshot;
  const rows: Array<[string, string, string]> = [
    ["RTT", formatMs(stats.rttMs), "rtt"],
    ["One-way latency", formatMs(stats.oneWayLatencyMs), "latency"],
    ["Server offset", formatSignedMs(wallClockOffset(stats.serverOffsetMs)), "offset"],
    ["Clock skew", stats.skewPpm === null ? "—" : `${stats.skewPpm.toFixed(0)} ppm`, "skew"],
    ["Drift", formatSignedMs(stats.driftMs, 2), "drift"],
    ["Playback rate", stats.playbackRate.toFixed(4), "rate"],
    ["Audio state", snapshot.loading ? `${snapshot.audio} (loading)` : snapshot.audio, "audio"],
    ["Audio clock skew", stats.audioSkewPpm === null ? "—" : `${stats.audioSkewPpm.toFixed(0)} ppm`, "audio-skew"],
    ["Track", track ? (track.title ?? track.trackId ?? "untitled") : "—", "track"],
    ["Clock samples", String(stats.clockSamples), "samples"],
    ["Hard seeks / resyncs", `${stats.hardSeeks} / ${stats.resyncs}`, "seeks"],
    ["Output offset", `${stats.outputLatencyOffsetMs} ms`, "output-offset"],
  ];
  return (
    <section className="card" aria-labelledby="debug-title" data-testid="debug-panel">
      <h2 id="debug-title">Sync debug</h2>
      <dl className="stats">
        {rows.map(([label, value, key]) => (
          <div key={key}>
            <dt>{label}</dt>
            <dd data-testid={`stat-${key}`} title={value}>
              {value}
            </dd>
          </div>
        ))}
      </dl>
      <DriftChart history={stats.driftHistory} now={localNow} />
      {snapshot.lastError && (
        <p className="muted small" data-testid="last-error">
          Last error: {snapshot.lastError.code}: {snapshot.lastError.message}
        </p>
      )}
    </section>
  );
}
