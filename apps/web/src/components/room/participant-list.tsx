import type { Participant } from "@sync-beats/protocol";

export function ParticipantList({ participants, selfId }: { participants: readonly Participant[]; selfId: string | null }) {
  // Host first; everyone else keeps the server's (join) order.
  const ordered = [...participants.filter((p) => p.isHost), ...participants.filter((p) => !p.isHost)];
  return (
    <section className="card" aria-labelledby="participants-title">
      <h2 id="participants-title">
        Listeners <span className="muted">({participants.length})</span>
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
              {participant.isHost && <span className="badge host">host</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
