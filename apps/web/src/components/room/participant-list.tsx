import type { Participant } from "@sync-beats/protocol";
import type { ReactNode } from "react";

/** The roles shown beside a name (issue 18 vocabulary): owner, host, guest, else listener. */
function rolesOf(participant: Participant): string[] {
  const roles = [];
  if (participant.isOwner) roles.push("owner");
  if (participant.role === "host") roles.push("host");
  if (participant.isGuest) roles.push("guest");
  if (roles.length === 0) roles.push("listener");
  return roles;
}

/**
 * Who is in the live room (from the engine snapshot), the host first, with their roles. The owner
 * gets "make host" beside everyone present who is not host (`onMakeHost`; the live room decides).
 */
export function ParticipantList({
  participants,
  selfId,
  onMakeHost,
  actions,
}: {
  participants: readonly Participant[];
  selfId: string | null;
  onMakeHost?: (userId: string) => void;
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
            <li key={participant.userId} className="participant" data-user-id={participant.userId} data-roles={rolesOf(participant).join(" ")}>
              <span className="grow ellipsis participant-name">
                {participant.name}
                {participant.userId === selfId && <span className="muted"> (you)</span>}
              </span>
              {rolesOf(participant).map((role) => (
                <span key={role} className={role === "host" ? "badge host" : "badge"}>
                  {role}
                </span>
              ))}
              <ParticipantActions participant={participant} onMakeHost={onMakeHost} actions={actions} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * The owner's buttons for one participant, on a line of their own under the name: beside it they
 * squeezed the name to nothing in the narrow side column.
 */
function ParticipantActions({
  participant,
  onMakeHost,
  actions,
}: {
  participant: Participant;
  onMakeHost?: (userId: string) => void;
  actions?: (participant: Participant) => ReactNode;
}) {
  const makeHost = onMakeHost && participant.role !== "host";
  const extra = actions?.(participant);
  if (!makeHost && !extra) return null;
  return (
    <div className="row participant-actions">
      {makeHost && (
        <button type="button" className="ghost small" onClick={() => onMakeHost(participant.userId)} aria-label={`Make host: ${participant.name}`}>
          Make host
        </button>
      )}
      {extra}
    </div>
  );
}
