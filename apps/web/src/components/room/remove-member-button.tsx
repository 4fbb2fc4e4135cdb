"use client";

/**
 * The owner's "remove from room" next to a participant [CH8]: asks before removing, since the
 * person cannot come back into this room. The API stores the removal and the live room closes
 * their connection.
 */
export function RemoveMemberButton({ userId, name, onRemove }: { userId: string; name: string; onRemove: (userId: string) => void }) {
  function remove() {
    if (window.confirm(`Remove ${name} from this room? They will not be able to join it again.`)) onRemove(userId);
  }
  return (
    <button type="button" className="ghost small" onClick={remove} aria-label={`remove from room: ${name}`} data-testid="remove-member">
      remove from room
    </button>
  );
}
