import { describe, expect, it } from "vitest";
import { describeRefusal } from "./command-refusal.js";

describe("describeRefusal", () => {
  it("names the host a listener should ask", () => {
    expect(describeRefusal({ type: "SEEK", code: "NOT_HOST", message: "only the host" }, "Ada")).toBe("Only the host can seek — ask Ada.");
  });

  it("does without a name when the host is unknown", () => {
    expect(describeRefusal({ type: "PAUSE", code: "NOT_HOST", message: "only the host" }, null)).toBe("Only the host can pause.");
  });

  it.each([
    ["NO_TRACK", "Nothing to resume yet: pick a track first."],
    ["UNAVAILABLE", "Could not resume just now: try again in a moment."],
    ["INVALID_MESSAGE", "Could not resume: bad frame"],
  ] as const)("%s reads as the reason", (code, text) => {
    expect(describeRefusal({ type: "RESUME", code, message: "bad frame" }, "Ada")).toBe(text);
  });
});
