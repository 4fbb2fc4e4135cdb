import { describe, expect, it } from "vitest";
import { EMPTY_ROOM_STATE, type SharedRoomState } from "./backplane.js";
import { MAX_REMOVED_USERS, newlyRemoved, removeMember } from "./chat-rules.js";
import { ProtocolError } from "./errors.js";

const facts = { name: "Den", ownerId: "owner", listenersCanControl: false, version: 1 };
const state: SharedRoomState = { ...EMPTY_ROOM_STATE, version: 4, facts, hostUserId: "owner" };

function refusal(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof ProtocolError) return error.code;
    throw error;
  }
  return undefined;
}

describe("removal rules", () => {
  it("[CH8] the owner's removal is remembered and announces nothing when the user did not host", () => {
    const result = removeMember("owner", "bob")(state);
    expect(result).toEqual({ state: { ...state, removedUserIds: ["bob"] }, messages: [] });
  });

  it("[CH8] only the owner may remove, never themselves; a repeat changes nothing", () => {
    expect(refusal(() => removeMember("bob", "carol")(state))).toBe("NOT_OWNER");
    expect(refusal(() => removeMember("owner", "owner")(state))).toBe("INVALID_MESSAGE");
    expect(refusal(() => removeMember("owner", "bob")({ ...state, facts: null }))).toBe("NOT_OWNER");
    expect(removeMember("owner", "bob")({ ...state, removedUserIds: ["bob"] })).toBeNull();
  });

  it("[CH8] a removed host hands hosting to the owner", () => {
    const result = removeMember("owner", "bob")({ ...state, hostUserId: "bob" });
    expect(result?.state.hostUserId).toBe("owner");
    expect(result?.messages).toEqual([{ type: "host_changed", hostId: "owner" }]);
  });

  it("[CH8] the removed list is capped", () => {
    const full = { ...state, removedUserIds: Array.from({ length: MAX_REMOVED_USERS }, (_, i) => `u${i}`) };
    expect(refusal(() => removeMember("owner", "bob")(full))).toBe("RATE_LIMITED");
  });

  it("[CH8] newlyRemoved names only the users added by the newer state", () => {
    const before = { ...state, removedUserIds: ["a"] };
    expect([...newlyRemoved(before, { ...before, removedUserIds: ["a", "b"] })]).toEqual(["b"]);
    expect([...newlyRemoved(before, before)]).toEqual([]);
  });
});
