/**
 * Headless Firefox ESR for the browser suite and bench:sync (issue 14): where it is, the
 * PulseAudio server it needs for sound, and how it is launched. One copy, used by both.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import puppeteer, { type Browser } from "puppeteer-core";

/** Debian's Firefox ESR (`apt-get install firefox-esr`); `FIREFOX_PATH` overrides. */
export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? "/usr/bin/firefox-esr";

/** Whether this machine can run the Firefox half of the suite, and why not when it cannot. */
export type FirefoxAvailability = { available: true; pulseServer: string } | { available: false; reason: string };

const isSocket = (path: string) => {
  try {
    return statSync(path).isSocket();
  } catch {
    return false;
  }
};

/**
 * The PulseAudio server Firefox plays through: `PULSE_SERVER` when set, else the default socket of
 * a server started with `pulseaudio -D` (in `$XDG_RUNTIME_DIR/pulse`, or `/tmp/pulse-*` when
 * there is no runtime directory, as for root in CI). Headless Firefox has no audio without one:
 * its `AudioContext` stays suspended.
 */
export function findPulseServer(env: Record<string, string | undefined> = process.env): string | null {
  const configured = env.PULSE_SERVER?.trim();
  if (configured) return isSocket(configured.replace(/^unix:/, "")) || !configured.startsWith("unix:") ? configured : null;
  const candidates = env.XDG_RUNTIME_DIR ? [join(env.XDG_RUNTIME_DIR, "pulse", "native")] : [];
  for (const entry of existsSync("/tmp") ? readdirSync("/tmp") : []) {
    if (entry.startsWith("pulse-")) candidates.push(join("/tmp", entry, "native"));
  }
  const found = candidates.find(isSocket);
  return found ? `unix:${found}` : null;
}

export function firefoxAvailability(): FirefoxAvailability {
  if (!existsSync(FIREFOX_PATH)) return { available: false, reason: `no Firefox at ${FIREFOX_PATH} (apt-get install firefox-esr)` };
  const pulseServer = findPulseServer();
  if (!pulseServer) {
    return { available: false, reason: "no PulseAudio server (pulseaudio -D --exit-idle-time=-1): headless Firefox has no audio without one" };
  }
  return { available: true, pulseServer };
}

/**
 * Headless Firefox ESR driven by puppeteer over WebDriver BiDi (Playwright's Firefox needs a
 * patched build that would be downloaded), playing through `pulseServer`, autoplay allowed.
 */
export function launchFirefox(pulseServer: string): Promise<Browser> {
  return puppeteer.launch({
    browser: "firefox",
    executablePath: FIREFOX_PATH,
    headless: true,
    timeout: 60_000,
    env: { ...process.env, PULSE_SERVER: pulseServer },
    extraPrefsFirefox: {
      "media.autoplay.default": 0,
      "media.autoplay.block-webaudio": false,
      // Nothing phoning home.
      "app.update.enabled": false,
      "browser.safebrowsing.malware.enabled": false,
      "browser.safebrowsing.phishing.enabled": false,
      "network.captive-portal-service.enabled": false,
    },
  });
}
