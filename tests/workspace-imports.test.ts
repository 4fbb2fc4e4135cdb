import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { findReachIns, moduleSpecifiers, type SourceFile, type Workspace } from "./workspace-imports.js";

const ROOT = join(import.meta.dirname, "..");
const SCANNED = ["apps", "packages", "bench", "e2e", "fuzz", "faults", "tests", "scripts"];
const SKIPPED = new Set(["node_modules", ".next", "data", "dist"]);

function readWorkspaces(): Workspace[] {
  const workspaces: Workspace[] = [{ dir: "", name: "sync-beats", kind: "root", exports: [] }];
  for (const [parent, kind] of [["apps", "app"], ["packages", "package"]] as const) {
    for (const entry of readdirSync(join(ROOT, parent), { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const manifest = JSON.parse(readFileSync(join(ROOT, parent, entry.name, "package.json"), "utf8")) as { name: string; exports?: Record<string, string> };
      workspaces.push({ dir: `${parent}/${entry.name}`, name: manifest.name, kind, exports: Object.keys(manifest.exports ?? {}) });
    }
  }
  return workspaces;
}

function readSources(dir: string, into: SourceFile[] = []): SourceFile[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED.has(entry.name)) readSources(path, into);
    } else if (/\.(ts|tsx|mts|mjs|js|cjs)$/.test(entry.name)) {
      into.push({ path: relative(ROOT, path).split(sep).join("/"), text: readFileSync(path, "utf8") });
    }
  }
  return into;
}

const WORKSPACES: Workspace[] = [
  { dir: "", name: "sync-beats", kind: "root", exports: [] },
  { dir: "apps/sync", name: "@sync-beats/sync", kind: "app", exports: [".", "./testing"] },
  { dir: "apps/api", name: "@sync-beats/api", kind: "app", exports: ["."] },
  { dir: "packages/protocol", name: "@sync-beats/protocol", kind: "package", exports: ["."] },
];
const scan = (path: string, text: string) => findReachIns([{ path, text }], WORKSPACES).map(({ specifier, reason }) => ({ specifier, reason }));

describe("workspace imports", () => {
  it("reads static, type-only, re-exported, dynamic and required specifiers, but not ones in strings or comments", () => {
    const text = [
      `import type { A } from "./a.js";`,
      `export * as b from "@sync-beats/b/sub";`,
      `const c = await import("./c.js");`,
      `const d = require("d");`,
      `type E = import("./e.js").E;`,
      `// import f from "../f.js";`,
      "const g = `import g from \"../g.js\"`;",
    ].join("\n");
    expect(moduleSpecifiers({ path: "x.ts", text })).toEqual(["./a.js", "@sync-beats/b/sub", "./c.js", "d", "./e.js"]);
  });

  it("flags a relative import into another workspace's src", () => {
    expect(scan("bench/load/probe.ts", `import { applyControl } from "../../apps/sync/src/room-transitions.js";`)).toEqual([
      { specifier: "../../apps/sync/src/room-transitions.js", reason: "a relative import into @sync-beats/sync; import it by its package name" },
    ]);
  });

  it("flags a relative import out of a package into the root's folders, and out of the repository", () => {
    expect(scan("packages/protocol/src/x.ts", `import "../../../scripts/tool.js";\nimport "../../../../elsewhere.js";`).map((r) => r.reason)).toEqual([
      "a relative import into sync-beats; import it by its package name",
      "a relative import out of the repository",
    ]);
  });

  it("flags a subpath the target does not export, and an unknown workspace", () => {
    expect(scan("fuzz/suites.ts", `import { x } from "@sync-beats/api/testing";\nimport { y } from "@sync-beats/sync/src/server.js";\nimport "@sync-beats/nope";`)).toEqual([
      { specifier: "@sync-beats/api/testing", reason: `@sync-beats/api does not export "./testing"` },
      { specifier: "@sync-beats/sync/src/server.js", reason: `@sync-beats/sync does not export "./src/server.js"` },
      { specifier: "@sync-beats/nope", reason: "no workspace has this name" },
    ]);
  });

  it("flags an app importing another app, even through its exports", () => {
    expect(scan("apps/api/src/x.ts", `import { startSyncServer } from "@sync-beats/sync";`)).toEqual([
      { specifier: "@sync-beats/sync", reason: "apps never import an app" },
    ]);
  });

  it("allows imports inside a workspace, through declared exports, and of other modules", () => {
    expect(scan("apps/sync/src/deep/x.ts", `import "./own.js";\nimport "../../test/harness.js";\nimport "@sync-beats/protocol";\nimport "node:fs";\nimport "zod";`)).toEqual([]);
    expect(scan("fuzz/suites.ts", `import "../bench/sync/timecode.js";\nimport "@sync-beats/sync/testing";\nimport "@sync-beats/sync";`)).toEqual([]);
  });

  it("the tree has no reach-ins", () => {
    const files = SCANNED.flatMap((dir) => readSources(join(ROOT, dir)));
    expect(files.length).toBeGreaterThan(100);
    expect(findReachIns(files, readWorkspaces())).toEqual([]);
  });
});
