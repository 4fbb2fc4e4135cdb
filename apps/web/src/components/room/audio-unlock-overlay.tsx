"use client";

/**
 * Browsers (iOS above all) only start audio from a user gesture. The tap handler calls
 * `unlockAudio()` synchronously: anything awaited before it would lose the gesture.
 */
export function AudioUnlockOverlay({ onUnlock }: { onUnlock: () => Promise<void> }) {
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-label="Enable audio">
      <button type="button" data-testid="unlock-audio" onClick={() => void onUnlock()}>
        Tap to enable audio
      </button>
    </div>
  );
}
