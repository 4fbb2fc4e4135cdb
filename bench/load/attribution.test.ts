import { describe, expect, it } from "vitest";
import { attribute } from "./attribution.js";
import type { CpuProfile } from "./profile.js";

const frame = (functionName: string, url = "") => ({ functionName, url, lineNumber: 0, columnNumber: 0 });
const ROOM = "file:///repo/apps/sync/src/room.ts";

/** root → onText → timePong → { own code ×3, Socket._writeGeneric → writeBuffer ×5 }; root → GC ×2; idle ×10. */
const profile: CpuProfile = {
  startTime: 0,
  endTime: 1,
  nodes: [
    { id: 1, callFrame: frame("(root)"), children: [2, 6, 7] },
    { id: 2, callFrame: frame("onText", "file:///repo/apps/sync/src/connection.ts"), children: [3] },
    { id: 3, callFrame: frame("timePong", ROOM), hitCount: 3, children: [4] },
    { id: 4, callFrame: frame("Socket._writeGeneric", "node:net"), children: [5] },
    { id: 5, callFrame: frame("writeBuffer"), hitCount: 5 },
    { id: 6, callFrame: frame("(garbage collector)"), hitCount: 2 },
    { id: 7, callFrame: frame("(idle)"), hitCount: 10 },
  ],
};

describe("per-frame attribution", () => {
  it("gives each busy sample to the most specific part on its stack and splits the CPU per frame by share", () => {
    expect(attribute(profile, 20)).toEqual([
      { part: "time_ping → time_pong", percent: 80, microsPerFrame: 16, socketWriteMicrosPerFrame: 10 },
      { part: "GC", percent: 20, microsPerFrame: 4, socketWriteMicrosPerFrame: 0 },
    ]);
  });
});
