"use client";

import { CreateRoomForm } from "@/components/dashboard/create-room-form";
import { JoinRoomForm } from "@/components/dashboard/join-room-form";
import { RoomList } from "@/components/dashboard/room-list";
import { useApi } from "@/lib/config-context";
import { useResource } from "@/lib/use-resource";
import { useSession } from "@/lib/session";

const LIVE_REFRESH_MS = 5_000;

export default function DashboardPage() {
  const api = useApi();
  const { user } = useSession();
  const mine = useResource(() => api.myRooms(), LIVE_REFRESH_MS);
  const publicRooms = useResource(() => api.publicRooms(), LIVE_REFRESH_MS);

  return (
    <main className="page">
      <h1>Hi, {user.displayName}</h1>
      {/* Phone order: join, public rooms, create, mine. Two columns on wider screens. */}
      <div className="grid two">
        <JoinRoomForm />
        <section className="card">
          <h2>Public rooms</h2>
          {publicRooms.error && <p className="error">{publicRooms.error}</p>}
          <RoomList
            rooms={publicRooms.data?.rooms ?? null}
            empty="No public rooms right now."
            testId="public-rooms"
          />
        </section>
        <CreateRoomForm />
        <section className="card">
          <h2>My rooms</h2>
          {mine.error && <p className="error">{mine.error}</p>}
          <RoomList rooms={mine.data?.rooms ?? null} empty="No rooms yet: create one." testId="my-rooms" />
        </section>
      </div>
    </main>
  );
}
