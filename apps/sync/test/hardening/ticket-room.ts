import { PROTOCOL_VERSIONS, type ServerMessage } from "@sync-beats/protocol";
import { signTicket } from "@sync-beats/ticket";
import { ticketVerifier } from "../../src/identity.js";
import { createHarness } from "../harness.js";

/**
 * A ticket-mode room for the attack suites: identity comes from API-signed tickets, as in
 * production (the harness runs `ticketVerifier`).
 */

export const secret = "hardening-test-secret-0123456789";
export const ROOM = "ROOM42";
export const track = { audioUrl: "/api/tracks/1/audio", duration: 120_000, title: "Song" };
/** The room's facts as the API signs them into tickets: alice owns it, listeners may not control. */
export const facts = { name: "Den", ownerId: "alice", listenersCanControl: false, version: 1 };
export const hostClaims = { userId: "alice", name: "Alice", roomCode: ROOM, room: facts };
export const listenerClaims = { userId: "bob", name: "Bob", roomCode: ROOM, room: facts };

/** The refusal codes a socket got, from `error` and `command_refused` frames alike (false for anything else). */
export function codes(received: ServerMessage[]): (string | false)[] {
  return received.map((m) => (m.type === "error" || m.type === "command_refused") && m.code);
}

export type Harness = ReturnType<typeof createHarness>;
export type Client = ReturnType<Harness["connect"]>;

export function ticketHarness() {
  return createHarness({ verifyIdentity: ticketVerifier(secret), config: { firstJoinerHosts: false } });
}

export async function joinWith(harness: Harness, ticket: string | undefined, extra: object = {}): Promise<Client> {
  const client = harness.connect();
  await client.send({ type: "join", roomCode: ROOM, versions: PROTOCOL_VERSIONS, ticket, ...extra });
  return client;
}

/** A room with a playing track, its host and one listener. */
export async function playingRoom() {
  const harness = ticketHarness();
  const host = await joinWith(harness, signTicket(hostClaims, secret, harness.clock.now()));
  const listener = await joinWith(harness, signTicket(listenerClaims, secret, harness.clock.now()));
  await host.send({ type: "PLAY", id: "play", ...track });
  await harness.advance(3_200);
  host.socket.clear();
  listener.socket.clear();
  return { harness, host, listener };
}

/** What a late joiner would be told about the room: host and PLAY_SYNC, the state every attack must leave alone. */
export async function roomView(harness: Harness) {
  const probe = await joinWith(harness, signTicket({ ...listenerClaims, userId: "probe", name: "Probe" }, secret, harness.clock.now()));
  const joined = probe.socket.last("joined");
  const sync = probe.socket.ofType("PLAY_SYNC")[0];
  await probe.close();
  return { hostId: joined.hostId, sync: sync && { audioUrl: sync.audioUrl, positionMs: sync.positionMs, isPaused: sync.isPaused } };
}

/** One of every playback command, each with its id. */
export const controls = [
  { type: "PLAY", id: "c-play", ...track, audioUrl: "/api/tracks/9/audio" },
  { type: "PAUSE", id: "c-pause" },
  { type: "RESUME", id: "c-resume" },
  { type: "SEEK", id: "c-seek", seekPositionMs: 90_000 },
  { type: "TRACK_CHANGE", id: "c-change", trackData: { ...track, audioUrl: "/api/tracks/9/audio" } },
];
