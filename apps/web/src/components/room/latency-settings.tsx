"use client";

import { useState } from "react";
import { clampOffset, MAX_OFFSET_MS, readOutputLatencyOffset, writeOutputLatencyOffset } from "@/lib/latency-offset-store";

/**
 * Per-device output latency (Bluetooth speakers lag by 100-300 ms). The calibration click plays on
 * the next whole server second on every device: adjust until all clicks sound as one.
 */
export function LatencySettings({
  onChange,
  onCalibrationClick,
  audioReady,
}: {
  onChange: (ms: number) => void;
  onCalibrationClick: () => void;
  audioReady: boolean;
}) {
  const [value, setValue] = useState(() => String(readOutputLatencyOffset()));

  const apply = (text: string) => {
    setValue(text);
    const parsed = Number(text);
    if (text.trim() === "" || !Number.isFinite(parsed)) return;
    const ms = clampOffset(parsed);
    writeOutputLatencyOffset(ms);
    onChange(ms);
  };

  return (
    <section className="card" aria-labelledby="latency-title">
      <h2 id="latency-title">This device</h2>
      <div className="field">
        <label htmlFor="latency-offset">Output latency offset (ms)</label>
        <input
          id="latency-offset"
          type="number"
          inputMode="numeric"
          min={-MAX_OFFSET_MS}
          max={MAX_OFFSET_MS}
          step={5}
          value={value}
          onChange={(e) => apply(e.target.value)}
          data-testid="latency-offset"
        />
      </div>
      <p className="muted small">Positive if this device's speaker plays late (e.g. Bluetooth).</p>
      <button type="button" className="secondary" onClick={onCalibrationClick} disabled={!audioReady} data-testid="calibration-click">
        Play calibration click
      </button>
    </section>
  );
}
