import { describe, expect, it } from "vitest";
import { descendantsMatching } from "./room-stress.js";

describe("room-mode stalls find only their own Chromium's audio service", () => {
  it("walks the process tree down from the root and matches command lines", () => {
    const rows = [
      { pid: 10, ppid: 1, args: "node bench" },
      { pid: 11, ppid: 10, args: "chromium --headless" },
      { pid: 12, ppid: 11, args: "chromium --type=utility --utility-sub-type=audio.mojom.AudioService" },
      { pid: 13, ppid: 11, args: "chromium --type=renderer" },
      { pid: 20, ppid: 1, args: "chromium --headless" },
      { pid: 21, ppid: 20, args: "chromium --type=utility --utility-sub-type=audio.mojom.AudioService" },
    ];
    expect(descendantsMatching(rows, 10, /audio\.mojom\.AudioService/)).toEqual([12]);
    expect(descendantsMatching(rows, 10, /--type=renderer/)).toEqual([13]);
    expect(descendantsMatching(rows, 99, /chromium/)).toEqual([]);
  });
});
