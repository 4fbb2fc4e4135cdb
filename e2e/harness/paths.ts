import { resolve } from "node:path";

export const REPO_ROOT = resolve(import.meta.dirname, "../..");
export const WEB_DIR = resolve(REPO_ROOT, "apps/web");
/** Git-ignored: screenshots and server logs of the last run. */
export const ARTIFACTS_DIR = resolve(REPO_ROOT, "test-artifacts/e2e");
