import { describe, expect, it } from "vitest";
import { safeNextPath } from "./next-path.js";

describe("safeNextPath", () => {
  it.each([
    ["/dashboard/room/AB3K9Z", "/dashboard/room/AB3K9Z"],
    ["/dashboard/library?x=1#top", "/dashboard/library?x=1#top"],
    ["/a/../dashboard", "/dashboard"],
  ])("follows a path on this site: %s", (value, path) => {
    expect(safeNextPath(value)).toBe(path);
  });

  it.each([null, undefined, "", "dashboard", "https://evil.example/", "javascript:alert(1)", "//evil.example/"])(
    "falls back to the dashboard for %j",
    (value) => {
      expect(safeNextPath(value)).toBe("/dashboard");
    },
  );

  // Found by [XSS-6] in e2e/xss.e2e.test.ts: these passed the old "starts with / but not //" check.
  it.each(["/\\evil.example/", "/\t/evil.example/", "/\n/evil.example/", "/\\/evil.example/"])(
    "[B12] does not follow a path the browser resolves to another host: %j",
    (value) => {
      expect(safeNextPath(value)).toBe("/dashboard");
    },
  );
});
