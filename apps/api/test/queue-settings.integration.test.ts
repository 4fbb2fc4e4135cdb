import { RoomResponse, TicketResponse, TrackListResponse } from "@sync-beats/protocol";
import { verifyTicket, verifyTrackGrant } from "@sync-beats/ticket";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachBackend, startTestApi, uniqueName, type Client, type TestApi } from "./harness.js";

describeEachBackend("queue settings and track grants", (backend) => {
  let api: TestApi;
  const clock = { t: Math.floor(Date.now()), now: () => clock.t };
  let owner: Client;
  let listener: Client;

  beforeAll(async () => {
    api = await startTestApi(backend, { seedDemoTracks: true, clock, env: { SYNC_SECRET: "queue-test-secret-0123456789" } });
    owner = api.client();
    listener = api.client();
    await owner.signup(uniqueName("owner"), undefined, "Olive");
    await listener.signup(uniqueName("listener"), undefined, "Liam");
  });
  afterAll(() => api.dispose());

  it("[Q2] every library track carries a grant the sync server verifies to exactly what the library shows", async () => {
    const { tracks } = TrackListResponse.parse(await (await owner.get("/api/tracks")).json());
    expect(tracks.length).toBeGreaterThan(0);
    for (const track of tracks) {
      expect(verifyTrackGrant(track.queueGrant, api.config.syncSecret, clock.t)).toEqual({
        trackId: track.id,
        audioUrl: track.audioUrl,
        duration: track.durationMs,
        title: track.title,
        ...(track.artist === null ? {} : { artist: track.artist }),
      });
      expect(verifyTrackGrant(track.queueGrant, "some-other-secret-0123456789", clock.t)).toBeNull();
    }
  });

  it("[Q3] the owner restricts adding to the host: the room says so and tickets carry it; a listener may not change it", async () => {
    clock.t += 1_000;
    const created = RoomResponse.parse(await (await owner.post("/api/rooms", { name: "queue party" })).json());
    expect(created.room.queueAddPolicy).toBe("everyone");
    const code = created.room.code;
    expect((await listener.patch(`/api/rooms/${code}`, { queueAddPolicy: "host" })).status).toBe(403);
    expect((await owner.patch(`/api/rooms/${code}`, { queueAddPolicy: "nobody" })).status).toBe(400);
    const changed = RoomResponse.parse(await (await owner.patch(`/api/rooms/${code}`, { queueAddPolicy: "host" })).json());
    expect(changed.room.queueAddPolicy).toBe("host");
    await listener.post(`/api/rooms/${code}/join`);
    const ticket = TicketResponse.parse(await (await listener.post(`/api/rooms/${code}/ticket`)).json());
    const verified = verifyTicket(ticket.ticket, api.config.syncSecret, { roomCode: code, nowMs: clock.t });
    expect(verified.ok && verified.claims.room.queueAddPolicy).toBe("host");
  });
});
