import type { Room } from "@sync-beats/protocol";
import Link from "next/link";

/** Rooms with host, live listener count and a link in. Names are rendered as text. */
export function RoomList({ rooms, empty, testId }: { rooms: readonly Room[] | null; empty: string; testId: string }) {
  if (rooms === null) return <p className="empty">Loading…</p>;
  if (rooms.length === 0) return <p className="empty">{empty}</p>;
  return (
    <ul className="list" data-testid={testId}>
      {rooms.map((room) => (
        <li key={room.code} data-room-code={room.code}>
          <div className="grow">
            <div className="ellipsis">
              <Link href={`/dashboard/room/${room.code}`}>{room.name}</Link>
            </div>
            <div className="muted small ellipsis">
              <span className="code">{room.code}</span> · hosted by {room.owner.displayName}
              {room.isPublic ? "" : " · private"}
            </div>
          </div>
          <span className="badge live" title="Listeners in the room" data-testid="room-count">
            {room.participantCount} listening
          </span>
        </li>
      ))}
    </ul>
  );
}
