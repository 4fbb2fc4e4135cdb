import { signTicket } from "@sync-beats/ticket";
import { describe, expect, it } from "vitest";
import { ticketVerifier } from "../../src/identity.js";
import { adoptFacts } from "../../src/room-transitions.js";
import { createHarness } from "../harness.js";
import { codes, controls, facts, hostClaims, joinWith, listenerClaims, playingRoom, ROOM, roomView, secret, ticketHarness, track } from "./ticket-room.js";

/**
 * Attacks on who may control playback (SECURITY.md maps threats to these ids): the host always,
 * listeners only while the room's facts, which only the API changes, let them.
 */

describe("host-only control", () => {
  it.each(controls)("[SEC-S8] a listener's $type is refused with NOT_HOST, naming it, and nobody hears of it", async (command) => {
    const { harness, host, listener } = await playingRoom();
    const before = await roomView(harness);
    host.socket.clear();
    listener.socket.clear();
    await listener.send(command);
    await listener.send({ ...command, isHost: true, role: "host", userId: "alice" });
    expect(listener.socket.received).toEqual([
      { type: "command_refused", id: command.id, code: "NOT_HOST", message: expect.any(String) },
      { type: "command_refused", id: command.id, code: "NOT_HOST", message: expect.any(String) },
    ]);
    expect(host.socket.received.filter((m) => m.type !== "user_joined" && m.type !== "user_left")).toEqual([]);
    expect(await roomView(harness)).toEqual(before);
  });

  it("[RA1][RA6][B13] switching listener control off (pushed by the API) reaches a listener already connected with a granting ticket", async () => {
    const harness = ticketHarness();
    const open = { ...facts, listenersCanControl: true, version: 2 };
    const host = await joinWith(harness, signTicket({ ...hostClaims, room: open }, secret, harness.clock.now()));
    await host.send({ type: "PLAY", id: "play", ...track });
    const trusted = await joinWith(harness, signTicket({ ...listenerClaims, userId: "carol", name: "Carol", room: open }, secret, harness.clock.now()));
    await trusted.send({ type: "PAUSE", id: "p1" });
    expect(trusted.socket.last("command_accepted").id).toBe("p1");
    expect(host.socket.ofType("PAUSE")).toHaveLength(1);

    await harness.backplane.transact(ROOM, adoptFacts({ ...open, listenersCanControl: false, version: 3 }));
    await harness.advance(0);
    expect(trusted.socket.last("room_updated")).toEqual({ type: "room_updated", room: { name: "Den", ownerId: "alice", listenersCanControl: false } });
    trusted.socket.clear();
    await trusted.send({ type: "RESUME", id: "r1" });
    expect(codes(trusted.socket.received)).toEqual(["NOT_HOST"]);
    // A ticket signed before the switch carries the older facts, which the room no longer follows.
    const late = await joinWith(harness, signTicket({ ...listenerClaims, userId: "dan", name: "Dan", room: open }, secret, harness.clock.now()));
    expect(late.socket.last("joined").room.listenersCanControl).toBe(false);
    await late.send({ type: "RESUME", id: "r2" });
    expect(late.socket.last("command_refused").code).toBe("NOT_HOST");

    await harness.backplane.transact(ROOM, adoptFacts({ ...open, version: 4 }));
    await trusted.send({ type: "RESUME", id: "r3" });
    expect(trusted.socket.ofType("RESUME")).toHaveLength(1);
  });

  it("[RA2][B13] an older ticket never widens control: its stale facts saying listeners may control are not adopted", async () => {
    const { harness, listener } = await playingRoom();
    const stale = { ...facts, listenersCanControl: true, version: 0 };
    const sneaky = await joinWith(harness, signTicket({ ...listenerClaims, userId: "carol", name: "Carol", room: stale }, secret, harness.clock.now()));
    expect(sneaky.socket.last("joined").room.listenersCanControl).toBe(false);
    await sneaky.send({ type: "PAUSE", id: "p1" });
    await listener.send({ type: "PAUSE", id: "p2" });
    expect(codes(sneaky.socket.ofType("command_refused"))).toEqual(["NOT_HOST"]);
    expect(codes(listener.socket.ofType("command_refused"))).toEqual(["NOT_HOST"]);
  });

  it("[RA4][RA6][B13] a listener promoted to host controls; no client can change listener control over the socket", async () => {
    const harness = createHarness({ verifyIdentity: ticketVerifier(secret), config: { firstJoinerHosts: false, hostGraceMs: 1_000 } });
    const host = await joinWith(harness, signTicket(hostClaims, secret, harness.clock.now()));
    const heir = await joinWith(harness, signTicket(listenerClaims, secret, harness.clock.now()));
    const other = await joinWith(harness, signTicket({ ...listenerClaims, userId: "carol", name: "Carol" }, secret, harness.clock.now()));
    await host.close();
    await harness.advance(1_500);
    expect(heir.socket.last("host_changed")).toEqual({ type: "host_changed", hostId: "bob" });
    await heir.send({ type: "PLAY", id: "play", ...track });
    expect(heir.socket.last("command_accepted").id).toBe("play");
    for (const client of [heir, other]) {
      await client.send({ type: "room_settings", guestsCanControl: true });
      await client.send({ type: "room_updated", room: { ...facts, listenersCanControl: true } });
      expect(codes(client.socket.ofType("error"))).toEqual(["UNKNOWN_TYPE", "UNKNOWN_TYPE"]);
    }
    await other.send({ type: "PAUSE", id: "p1" });
    expect(other.socket.last("command_refused").code).toBe("NOT_HOST");
  });

  it("[SEC-S9] a listener cannot take the host role over the socket (no such message: UNKNOWN_TYPE)", async () => {
    const { harness, listener } = await playingRoom();
    for (const type of ["host_changed", "HOST_TRANSFER", "transfer_host", "joined"]) {
      await listener.send({ type, hostId: "bob", userId: "bob", isHost: true });
      expect(listener.socket.last("error").code).toBe("UNKNOWN_TYPE");
    }
    expect((await roomView(harness)).hostId).toBe("alice");
  });
});
