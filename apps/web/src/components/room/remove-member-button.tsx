"use client";

import type { ChatFeed } from "@sync-beats/sync-engine";

/**
 * The owner's "remove from room" next to a participant [CH8]: asks before sending, since the
 * person cannot come back into this room.
 */
export function RemoveMemberButton({ feed, userId, name }: { feed: ChatFeed | null; userId: string; name: string }) {
  function remove() {
    if (window.confirm(`Remove ${name} from this room? They will not be able to join it again.`)) feed?.removeMember(userId);
  }
  return (
    <button type="button" className="ghost small" onClick={remove} disabled={!feed} aria-label={`remove from room: ${name}`} data-testid="remove-member">
      remove from room
    </button>
  );
}
