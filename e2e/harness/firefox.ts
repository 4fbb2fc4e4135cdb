import type { FirefoxAvailability } from "../../bench/sync/firefox.js";

/* Where Firefox is and how it is launched are shared with bench:sync (`bench/sync/firefox.ts`). */
export { FIREFOX_PATH, findPulseServer, firefoxAvailability, launchFirefox, type FirefoxAvailability } from "../../bench/sync/firefox.js";

/** Prints why the Firefox half of `suite` is skipped, like the PostgreSQL suites do. */
export function announceFirefoxSkip(suite: string, availability: FirefoxAvailability): void {
  if (!availability.available) console.log(`[${suite}] skipping Firefox: ${availability.reason}`);
}
