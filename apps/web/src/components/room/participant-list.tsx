import type { Participant } from "@sync-beats/protocol";
import type { ReactNode } from "react";

/** Who is in the live room (from the engine snapshot), the host first, with owner and host marks. */
export function ParticipantList({
  participants,
  selfId,
  actions,
}: {
  participants: readonly Participant[];
  selfId: string | null;
  /** Extra controls after a participant (the owner's "remove from room"). */
  actions?: (participant: Participant) => ReactNode;
}) {
  // Host first; the listeners keep the server's (join) order.
  const ordered = [...participants.filter((p) => p.role === "host"), ...participants.filter((p) => p.role !== "host")];
  return (
    <section className="card" aria-labelledby="participants-title">
      <h2 id="participants-title">
        In the room <span className="muted">({participants.length})</span>
      </h2>
      {participants.length === 0 ? (
        <p className="empty">Nobody connected yet.</p>
      ) : (
        <ul className="list" data-testid="participants">
          {ordered.map((participant) => (
            <li key={participant.userId} data-user-id={participant.userId}>
              <span className="grow ellipsis">
                {participant.name}
                {participant.userId === selfId && <span className="muted"> (you)</span>}
              </span>
              {participant.isOwner && <span className="badge">owner</span>}
              {participant.role === "host" && <span className="badge host">host</span>}
              {actions?.(participant)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
