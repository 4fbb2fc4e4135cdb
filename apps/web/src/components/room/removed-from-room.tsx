import Link from "next/link";

/** What a person the owner removed sees instead of the room [CH8]; the engine does not reconnect. */
export function RemovedFromRoom() {
  return (
    <main className="page narrow" data-testid="room-removed">
      <h1>Removed from this room</h1>
      <p className="muted">The room&apos;s owner removed you. You cannot join this room again.</p>
      <Link href="/dashboard">Back to the dashboard</Link>
    </main>
  );
}
