"use client";

import type { CalibrationDeviceResult } from "@sync-beats/protocol";
import type { CalibrationView, SyncSnapshot } from "@sync-beats/sync-engine";
import { useState } from "react";

/** Why a device was not heard, in words a host can act on (CAL4, CAL8). */
const NOT_HEARD: Record<Extract<CalibrationDeviceResult, { heard: false }>["reason"], string> = {
  "below-threshold": "not heard: too quiet, muted, or the room too noisy",
  "outside-recording": "not heard in its time slot: its delay is beyond what calibration measures",
  inconsistent: "its repeats disagreed (an echo or a noise burst?)",
  "not-reported": "the measuring device sent nothing for it",
};

const ABANDONED: Record<string, string> = {
  "measuring-device-left": "The measuring device left the room before reporting.",
  timeout: "The measuring device did not report in time.",
};

function formatCorrection(ms: number): string {
  return `${ms >= 0 ? "+" : "−"}${Math.abs(ms).toFixed(1)} ms`;
}

function ResultList({ run }: { run: Extract<CalibrationView, { phase: "done" }> }) {
  const names = new Map(run.devices.map((device) => [device.connectionId, device.name]));
  return (
    <ul className="calibration-results" data-testid="calibration-results">
      {run.results.map((result) => (
        <li key={result.connectionId} data-testid="calibration-result" data-heard={result.heard}>
          <strong>{names.get(result.connectionId) ?? result.connectionId}</strong>:{" "}
          {result.heard
            ? `${formatCorrection(result.correctionMs)} (confidence ${result.confidenceDb.toFixed(0)} dB)`
            : `${NOT_HEARD[result.reason]}; offset left unchanged (confidence ${result.confidenceDb.toFixed(0)} dB)`}
        </li>
      ))}
    </ul>
  );
}

function Progress({ run }: { run: CalibrationView }) {
  switch (run.phase) {
    case "idle":
      return null;
    case "running":
      return (
        <p role="status" data-testid="calibration-progress">
          {run.analysing
            ? "Analysing the recording…"
            : run.role === "measuring"
              ? `Listening to ${run.devices.length} device${run.devices.length === 1 ? "" : "s"}: keep this device still and the room quiet.`
              : run.role === "playing"
                ? "Calibrating: this device plays a short sweep in its turn."
                : "Calibrating the room…"}
        </p>
      );
    case "done":
      return (
        <>
          <p role="status" data-testid="calibration-progress">
            {run.applied === null ? "Calibration finished." : `Calibration finished: this device moved ${formatCorrection(run.applied)}.`}
          </p>
          <ResultList run={run} />
        </>
      );
    case "abandoned":
      return (
        <p className="error" role="alert" data-testid="calibration-progress">
          {ABANDONED[run.reason] ?? "Calibration was abandoned."} No offset changed.
        </p>
      );
    case "refused":
      return (
        <p className="error" role="alert" data-testid="calibration-progress">
          Calibration refused: {run.message}
        </p>
      );
  }
}

/**
 * Acoustic room calibration (issue 15): the host picks the measuring device (default: this one)
 * and starts; every device shows where the run is and, at the end, each device's correction with
 * its confidence, or why it was not heard.
 */
export function CalibrationPanel({
  snapshot,
  calibration,
  calibrate,
}: {
  snapshot: SyncSnapshot;
  calibration: CalibrationView;
  calibrate: (measuringUserId?: string) => string | null;
}) {
  const selfId = snapshot.room?.userId ?? null;
  const [measuring, setMeasuring] = useState<string>("");
  const isHost = snapshot.room?.role === "host";
  const running = calibration.phase === "running";
  const ready = snapshot.connection.status === "joined" && snapshot.audio === "running";
  if (!isHost && calibration.phase === "idle") return null;
  return (
    <section className="card" aria-labelledby="calibration-title" data-testid="calibration-panel">
      <h2 id="calibration-title">Room calibration</h2>
      {isHost && (
        <>
          <p className="muted small">
            One device listens with its microphone while every other device plays a short sweep in turn; each then corrects
            its output latency so all of them reach that spot together.
          </p>
          <div className="field">
            <label htmlFor="calibration-measuring">Measuring device</label>
            <select id="calibration-measuring" value={measuring} onChange={(e) => setMeasuring(e.target.value)} data-testid="calibration-measuring">
              <option value="">This device</option>
              {snapshot.participants
                .filter((participant) => participant.userId !== selfId)
                .map((participant) => (
                  <option key={participant.userId} value={participant.userId}>
                    {participant.name}
                  </option>
                ))}
            </select>
          </div>
          <button type="button" onClick={() => calibrate(measuring || undefined)} disabled={!ready || running} data-testid="calibrate">
            {running ? "Calibrating…" : "Calibrate"}
          </button>
        </>
      )}
      <Progress run={calibration} />
    </section>
  );
}
