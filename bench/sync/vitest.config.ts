import { defineConfig } from "vitest/config";

/** The benchmark's own unit tests (the root config only collects apps and packages). */
export default defineConfig({
  test: { include: ["bench/sync/**/*.test.ts"], testTimeout: 20_000 },
});
