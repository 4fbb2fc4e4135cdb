"use client";

import type { ChatFeed, ChatState, ReactionEvent } from "@sync-beats/sync-engine";
import { useEffect, useMemo, useState, useSyncExternalStore } from "react";

const EMPTY: ChatState = { messages: [], lastRefusal: null };
const noop = () => undefined;

/** The room chat's state from the engine's feed (empty until there is an engine). */
export function useChat(feed: ChatFeed | null): ChatState {
  const subscribe = useMemo(() => (feed ? feed.subscribe.bind(feed) : () => noop), [feed]);
  const getState = useMemo(() => (feed ? feed.getState.bind(feed) : () => EMPTY), [feed]);
  return useSyncExternalStore(subscribe, getState, () => EMPTY);
}

/** A reaction on screen: `key` tells two bursts of one emoji apart. */
export interface Burst extends ReactionEvent {
  readonly key: number;
}

/** How long a burst stays on screen (its animation's length). */
export const BURST_MS = 1_200;
/** A flood of reactions shows at most this many bursts at once; older ones go first. */
const MAX_BURSTS = 24;

/** The bursts to show now: each reaction the feed hears, for {@link BURST_MS}. */
export function useReactionBursts(feed: ChatFeed | null): readonly Burst[] {
  const [bursts, setBursts] = useState<readonly Burst[]>([]);
  useEffect(() => {
    if (!feed) return;
    let next = 0;
    const timers = new Set<ReturnType<typeof setTimeout>>();
    const stop = feed.onReaction((reaction) => {
      const key = next++;
      setBursts((shown) => [...shown.slice(-(MAX_BURSTS - 1)), { ...reaction, key }]);
      const timer = setTimeout(() => {
        timers.delete(timer);
        setBursts((shown) => shown.filter((burst) => burst.key !== key));
      }, BURST_MS);
      timers.add(timer);
    });
    return () => {
      stop();
      for (const timer of timers) clearTimeout(timer);
      setBursts([]);
    };
  }, [feed]);
  return bursts;
}
