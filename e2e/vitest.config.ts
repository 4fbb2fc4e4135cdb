import { defineConfig } from "vitest/config";

// Browser end-to-end tests: real api, sync and web servers, real Chromium. One file at a time,
// since each file starts its own servers and browsers on a 2-core machine.
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ["**/*.e2e.test.ts"],
    exclude: ["**/node_modules/**"],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 240_000,
    globalSetup: ["./harness/global-setup.ts"],
  },
});
