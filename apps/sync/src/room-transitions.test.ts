import type { VersionedRoomFacts } from "@sync-beats/protocol";
import { EMPTY_TIMELINE } from "@sync-beats/timeline";
import { describe, expect, it } from "vitest";
import { EMPTY_ROOM_STATE, type PresenceEntry, type SharedRoomState, type Transition } from "./backplane.js";
import type { Identity } from "./identity.js";
import { adoptFacts, admit, applyControl, closeRoom, promoteSuccessor, transferHost } from "./room-transitions.js";

const facts: VersionedRoomFacts = { name: "Den", ownerId: "owner", listenersCanControl: false, version: 3 };
const track = { audioUrl: "/a.wav", duration: 60_000 };

function identity(userId: string, room: VersionedRoomFacts | null = facts): Identity {
  return { userId, name: userId, room };
}

function presence(...userIds: string[]): PresenceEntry[] {
  return userIds.map((userId, index) => ({ id: `n:${index}`, userId, name: userId }));
}

function state(overrides: Partial<SharedRoomState> = {}): SharedRoomState {
  return { ...EMPTY_ROOM_STATE, facts, ...overrides };
}

/** Runs a transition and expects a change. */
function run(transition: Transition, from: SharedRoomState) {
  const result = transition(from);
  if (!result) throw new Error("expected a change, got none");
  return result;
}

describe("facts adoption", () => {
  it("[RA1] a pushed copy newer than the room's is adopted and announced without its version", () => {
    const pushed = { ...facts, name: "Renamed", listenersCanControl: true, version: 4 };
    const result = run(adoptFacts(pushed), state());
    expect(result.state.facts).toEqual(pushed);
    expect(result.messages).toEqual([{ type: "room_updated", room: { name: "Renamed", ownerId: "owner", listenersCanControl: true } }]);
  });

  it("[RA1][RA2] a copy no newer than the room's changes nothing, pushed or in a ticket", () => {
    const stale = { ...facts, name: "Old", version: 3 };
    expect(adoptFacts(stale)(state())).toBeNull();
    expect(adoptFacts({ ...stale, version: 2 })(state())).toBeNull();
    expect(admit(identity("bob", { ...stale, version: 1 }), false, presence("owner", "bob"))(state({ hostUserId: "owner" }))).toBeNull();
  });

  it("[RA2] a ticket's newer facts are adopted on join, and those present hear room_updated", () => {
    const newer = { ...facts, listenersCanControl: true, version: 9 };
    const result = run(admit(identity("bob", newer), false, presence("owner", "bob")), state({ hostUserId: "owner" }));
    expect(result.state.facts).toEqual(newer);
    expect(result.messages).toEqual([{ type: "room_updated", room: { name: "Den", ownerId: "owner", listenersCanControl: true } }]);
  });

  it("[RA2] a room without facts takes the first ticket's, telling nobody when nobody else is there", () => {
    const result = run(admit(identity("bob"), false, presence("bob")), EMPTY_ROOM_STATE);
    expect(result.state).toMatchObject({ facts, hostUserId: null });
    expect(result.messages).toEqual([]);
  });
});

describe("host on join", () => {
  it("[RA3] the owner becomes host of a host-less room; those present hear host_changed", () => {
    const result = run(admit(identity("owner"), false, presence("bob", "owner")), state());
    expect(result.state.hostUserId).toBe("owner");
    expect(result.messages).toEqual([{ type: "host_changed", hostId: "owner" }]);
  });

  it("[RA3] the owner alone takes hosting without telling anyone", () => {
    const result = run(admit(identity("owner"), false, presence("owner")), state());
    expect(result.state.hostUserId).toBe("owner");
    expect(result.messages).toEqual([]);
  });

  it("[RA3] the owner takes hosting over from a host who is no longer in the room", () => {
    const result = run(admit(identity("owner"), false, presence("bob", "owner")), state({ hostUserId: "gone" }));
    expect(result.state.hostUserId).toBe("owner");
    expect(result.messages).toEqual([{ type: "host_changed", hostId: "owner" }]);
  });

  it("[RA3] a listener does not become host with tickets, even alone; in dev identity the first joiner does", () => {
    expect(admit(identity("bob"), false, presence("bob"))(state())).toBeNull();
    expect(run(admit(identity("bob", null), true, presence("bob")), EMPTY_ROOM_STATE).state.hostUserId).toBe("bob");
  });

  it("[RA3] the owner joining a room someone present hosts does not take hosting; nor does a later dev joiner", () => {
    expect(admit(identity("owner"), false, presence("bob", "owner"))(state({ hostUserId: "bob" }))).toBeNull();
    expect(admit(identity("carol", null), true, presence("bob", "carol"))(state({ hostUserId: "bob" }))).toBeNull();
  });
});

describe("host succession", () => {
  it("[RA4] when the host did not come back, the owner takes over if present", () => {
    const result = run(promoteSuccessor(presence("bob", "carol", "owner")), state({ hostUserId: "gone" }));
    expect(result.state.hostUserId).toBe("owner");
    expect(result.messages).toEqual([{ type: "host_changed", hostId: "owner" }]);
  });

  it("[RA4] without the owner, the longest-connected member takes over", () => {
    expect(run(promoteSuccessor(presence("bob", "carol")), state({ hostUserId: "gone" })).state.hostUserId).toBe("bob");
  });

  it("[RA4] a host who came back keeps hosting; an empty room promotes nobody", () => {
    expect(promoteSuccessor(presence("bob", "owner", "host"))(state({ hostUserId: "host" }))).toBeNull();
    expect(promoteSuccessor([])(state({ hostUserId: "gone" }))).toBeNull();
  });
});

describe("host transfer", () => {
  it("[RA5] the owner may hand hosting to anyone in the room", () => {
    const result = run(transferHost("owner", "carol", presence("bob", "carol")), state({ hostUserId: "bob" }));
    expect(result.state.hostUserId).toBe("carol");
    expect(result.messages).toEqual([{ type: "host_changed", hostId: "carol" }]);
  });

  it("[RA5] the host may hand hosting over, also in a room without an owner", () => {
    const result = run(transferHost("bob", "carol", presence("bob", "carol")), state({ facts: null, hostUserId: "bob" }));
    expect(result.state.hostUserId).toBe("carol");
  });

  it("[RA5] a listener who is not the owner may not: NOT_HOST", () => {
    expect(() => transferHost("carol", "carol", presence("bob", "carol"))(state({ hostUserId: "bob" }))).toThrow(
      expect.objectContaining({ code: "NOT_HOST" }),
    );
  });

  it("[RA5] hosting goes only to someone in the room now: NOT_PARTICIPANT", () => {
    expect(() => transferHost("owner", "zed", presence("bob"))(state({ hostUserId: "bob" }))).toThrow(
      expect.objectContaining({ code: "NOT_PARTICIPANT" }),
    );
  });

  it("[RA5] handing hosting to the host changes nothing", () => {
    expect(transferHost("owner", "bob", presence("bob"))(state({ hostUserId: "bob" }))).toBeNull();
  });
});

describe("listener control", () => {
  const play = { type: "PLAY" as const, id: "c1", ...track };

  it("[RA6] the host controls always; a listener is refused with NOT_HOST while the facts forbid it", () => {
    const from = state({ hostUserId: "bob" });
    let at = Number.NaN;
    const accepted = run(applyControl(identity("bob"), play, () => 1_000, 200, (instant) => (at = instant)), from);
    expect(at).toBe(1_200);
    expect(accepted.messages).toEqual([{ type: "PLAY", ...track, startServerMs: 1_200, positionMs: 0 }]);
    expect(() => applyControl(identity("carol"), play, () => 1_000, 200, () => undefined)(from)).toThrow(
      expect.objectContaining({ code: "NOT_HOST" }),
    );
  });

  it("[RA6] a listener controls once the room's facts let listeners, whatever its ticket's older copy said", () => {
    const from = state({ hostUserId: "bob", facts: { ...facts, listenersCanControl: true, version: 4 } });
    const result = run(applyControl(identity("carol", facts), play, () => 1_000, 200, () => undefined), from);
    expect(result.state.timeline).not.toBeNull();
  });
});

describe("close", () => {
  it("[RA7] closing clears the live room and announces room_closed; an older or equal close changes nothing", () => {
    const result = run(closeRoom(5), state({ hostUserId: "owner", facts: { ...facts, version: 5 } }));
    expect(result.state).toMatchObject({ hostUserId: null, timeline: EMPTY_TIMELINE, facts: null, closedAtVersion: 5 });
    expect(result.messages).toEqual([{ type: "room_closed", reason: expect.any(String) }]);
    expect(closeRoom(5)(result.state)).toBeNull();
    expect(closeRoom(4)(result.state)).toBeNull();
  });

  it("[RA7] a join with facts no newer than the close is refused with ROOM_CLOSED and close 4004; a newer copy may join", () => {
    const closed = run(closeRoom(5), state({ facts: { ...facts, version: 5 } })).state;
    for (const room of [{ ...facts, version: 5 }, { ...facts, version: 2 }, null]) {
      expect(() => admit(identity("owner", room), false, presence("owner"))(closed)).toThrow(
        expect.objectContaining({ code: "ROOM_CLOSED", closeWith: 4004 }),
      );
    }
    const reopened = run(admit(identity("owner", { ...facts, version: 6 }), false, presence("owner")), closed);
    expect(reopened.state).toMatchObject({ hostUserId: "owner", facts: { version: 6 } });
  });
});
