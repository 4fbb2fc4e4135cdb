import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

/*
 * The script runs under the root `npm start`, whose `concurrently` prefixes every line of the web
 * app with "[web]": its own lines must not carry that prefix again. Run on a copy whose build is
 * newer than every (absent) input, so it only reports and never builds.
 */
describe("build-if-stale", () => {
  let dir = "";
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("reports an up-to-date build without a prefix of its own", () => {
    dir = mkdtempSync(join(tmpdir(), "build-if-stale-"));
    const webDir = join(dir, "web");
    mkdirSync(join(webDir, "scripts"), { recursive: true });
    mkdirSync(join(webDir, ".next"));
    copyFileSync(join(import.meta.dirname, "build-if-stale.mjs"), join(webDir, "scripts", "build-if-stale.mjs"));
    writeFileSync(join(webDir, ".next", "BUILD_ID"), "test");
    const printed = execFileSync(process.execPath, [join(webDir, "scripts", "build-if-stale.mjs")], { encoding: "utf8" });
    expect(printed.trim()).toBe("web app: production build is up to date");
    expect(printed).not.toMatch(/^\[web\]/m);
  });
});
