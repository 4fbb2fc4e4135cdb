import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "packages/*/src/**/*.test.ts",
      "apps/*/src/**/*.test.ts",
      "apps/*/test/**/*.test.ts",
      "scripts/**/*.test.ts",
      "apps/*/scripts/*.test.ts",
      "tests/**/*.test.ts",
      "bench/sync/*.test.ts",
      "bench/soak/*.test.ts",
      "bench/load/*.test.ts",
      "e2e/harness/*.test.ts",
      "bench/media/*.test.ts",
      "bench/calibration/*.test.ts",
    ],
    exclude: ["**/node_modules/**", "**/.next/**"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
