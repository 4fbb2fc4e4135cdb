import { describe, expect, it } from "vitest";
import { EMPTY_ROOM_STATE } from "../src/backplane.js";
import { createMemoryBackplane } from "../src/memory-backplane.js";
import { backplaneContract } from "./backplane-contract.js";
import { memoryTarget } from "./backplanes.js";
import { FakeClock } from "./fake-clock.js";

describe("backplane in memory", () => {
  backplaneContract(memoryTarget);

  it("[BP14] a room's state stays while someone is present and goes with its last subscriber", async () => {
    const backplane = createMemoryBackplane(new FakeClock());
    const committed = await backplane.transact("ROOM", (state) => ({ state: { ...state, hostUserId: "h" }, messages: [] }));
    await backplane.join("ROOM", { id: "local:1", userId: "h", name: "H" });
    await (await backplane.subscribe("ROOM", () => undefined))();
    expect(await backplane.load("ROOM")).toEqual(committed);
    await backplane.leave("ROOM", "local:1");
    await (await backplane.subscribe("ROOM", () => undefined))();
    expect(await backplane.load("ROOM")).toEqual(EMPTY_ROOM_STATE);
  });
});
