"use client";

import { REACTION_EMOJI } from "@sync-beats/protocol";
import type { ChatFeed } from "@sync-beats/sync-engine";
import { useReactionBursts } from "@/lib/use-chat";
import styles from "./chat.module.css";

/** Spreads bursts across the screen by their key, without randomness (same place on a re-render). */
function leftPercent(key: number): number {
  return 10 + ((key * 37) % 80);
}

/**
 * The reaction buttons and the bursts every device shows when anyone reacts [CH1]. The burst
 * animates upwards; under `prefers-reduced-motion` it stays still for the same time.
 */
export function ReactionBar({ feed, disabled }: { feed: ChatFeed | null; disabled: boolean }) {
  const bursts = useReactionBursts(feed);
  return (
    <section className="card" aria-labelledby="reactions-title">
      <h2 id="reactions-title">React</h2>
      <div className={styles.reactions} role="group" aria-labelledby="reactions-title">
        {REACTION_EMOJI.map((emoji) => (
          <button
            key={emoji}
            type="button"
            className={`secondary ${styles.reactionButton}`}
            onClick={() => feed?.react(emoji)}
            disabled={disabled}
            aria-label={`React ${emoji}`}
            data-testid="reaction-button"
            data-emoji={emoji}
          >
            {emoji}
          </button>
        ))}
      </div>
      <div className={styles.stage} aria-live="polite" data-testid="reaction-stage">
        {bursts.map((burst) => (
          <span
            key={burst.key}
            className={styles.burst}
            style={{ left: `${leftPercent(burst.key)}%` }}
            data-testid="reaction-burst"
            data-emoji={burst.emoji}
            data-at-server-ms={burst.atServerMs}
          >
            {burst.emoji}
            <bdi className={styles.burstName}>{burst.from.name}</bdi>
          </span>
        ))}
      </div>
    </section>
  );
}
