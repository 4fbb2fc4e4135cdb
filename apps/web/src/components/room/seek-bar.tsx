"use client";

import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from "react";
import { formatDuration } from "@/lib/format";

const KEY_STEP_MS = 5_000;
const PAGE_STEP_MS = 30_000;

/** Where a key moves the position, by the ARIA slider pattern; null for keys the slider ignores. */
function keyTargetMs(key: string, currentMs: number): number | null {
  switch (key) {
    case "ArrowRight":
    case "ArrowUp":
      return currentMs + KEY_STEP_MS;
    case "ArrowLeft":
    case "ArrowDown":
      return currentMs - KEY_STEP_MS;
    case "PageUp":
      return currentMs + PAGE_STEP_MS;
    case "PageDown":
      return currentMs - PAGE_STEP_MS;
    case "Home":
      return 0;
    default:
      return null;
  }
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}

/**
 * The moving position bar. The host drags it to seek: the position is sent once, on release, so
 * a drag is one SEEK for the whole room rather than a stream of them.
 */
export function SeekBar({
  getPositionMs,
  durationMs,
  running,
  interactive,
  onSeek,
}: {
  getPositionMs: () => number;
  durationMs: number;
  running: boolean;
  interactive: boolean;
  onSeek: (positionMs: number) => void;
}) {
  const trackRef = useRef<HTMLDivElement>(null);
  const [positionMs, setPositionMs] = useState(() => getPositionMs());
  const [dragFraction, setDragFraction] = useState<number | null>(null);

  // Follow the timeline every animation frame while playing; once otherwise.
  useEffect(() => {
    setPositionMs(getPositionMs());
    if (!running) return;
    let frame = requestAnimationFrame(function tick() {
      setPositionMs(getPositionMs());
      frame = requestAnimationFrame(tick);
    });
    return () => cancelAnimationFrame(frame);
  }, [getPositionMs, running]);

  const fractionAt = (clientX: number) => {
    const rect = trackRef.current?.getBoundingClientRect();
    return rect && rect.width > 0 ? clamp01((clientX - rect.left) / rect.width) : 0;
  };

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (!interactive) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    setDragFraction(fractionAt(event.clientX));
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    if (dragFraction !== null) setDragFraction(fractionAt(event.clientX));
  };
  const onPointerUp = (event: PointerEvent<HTMLDivElement>) => {
    if (dragFraction === null) return;
    const fraction = fractionAt(event.clientX);
    setDragFraction(null);
    onSeek(Math.round(fraction * durationMs));
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (!interactive) return;
    const target = keyTargetMs(event.key, getPositionMs());
    if (target === null) return;
    event.preventDefault();
    onSeek(Math.min(durationMs, Math.max(0, target)));
  };

  const shownMs = dragFraction !== null ? dragFraction * durationMs : Math.min(positionMs, durationMs);
  const fraction = durationMs > 0 ? clamp01(shownMs / durationMs) : 0;
  return (
    <div>
      <div
        className={`seekbar${interactive ? " interactive" : ""}${dragFraction !== null ? " dragging" : ""}`}
        role="slider"
        tabIndex={interactive ? 0 : -1}
        aria-label="Playback position"
        aria-valuemin={0}
        aria-valuemax={Math.round(durationMs / 1000)}
        aria-valuenow={Math.round(shownMs / 1000)}
        aria-valuetext={`${formatDuration(shownMs)} of ${formatDuration(durationMs)}`}
        aria-disabled={!interactive}
        data-testid="seek-bar"
        data-position-ms={Math.round(shownMs)}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={() => setDragFraction(null)}
        onKeyDown={onKeyDown}
      >
        <div className="track" ref={trackRef}>
          <div className="fill" style={{ width: `${fraction * 100}%` }} />
          <div className="thumb" style={{ left: `${fraction * 100}%` }} />
        </div>
      </div>
      <div className="times">
        <span data-testid="position">{formatDuration(shownMs)}</span>
        <span data-testid="duration">{formatDuration(durationMs)}</span>
      </div>
    </div>
  );
}
