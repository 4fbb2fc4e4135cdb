import { chromium, type Browser, type BrowserContext } from "playwright-core";

/**
 * Where Chromium looks for a PulseAudio server in the suite: nowhere. Once a server runs (Firefox
 * needs one), Chromium would play through it too, and its output timestamps wander by 10 ms and
 * more; the suite keeps Chromium on its steady fake device.
 */
const NO_PULSE_SERVER = "unix:/nonexistent/pulse/native";

/**
 * Debian's Chromium, headless, nothing phoning home, on its fake audio device. Autoplay is allowed
 * unless `autoplay: false`, which makes audio wait for a user gesture as on a phone.
 */
export function launchChromium(options: { autoplay?: boolean } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    timeout: 60_000,
    env: { ...process.env, PULSE_SERVER: NO_PULSE_SERVER },
    args: [
      "--headless",
      "--no-sandbox",
      options.autoplay === false
        ? "--autoplay-policy=document-user-activation-required"
        : "--autoplay-policy=no-user-gesture-required",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-quic",
    ],
  });
}

/**
 * Headless Chromium's autoplay heuristics sometimes let audio start anyway (and Playwright's
 * evaluate() counts as user activation), so pages of `context` get iOS's rule outright: an
 * AudioContext runs only once resumed after a real click or tap on the page.
 */
export async function requireTapForAudio(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    let tapped = false;
    const onTap = (event: Event) => {
      if (event.isTrusted) tapped = true;
    };
    window.addEventListener("pointerdown", onTap, true);
    window.addEventListener("click", onTap, true);
    const Native = window.AudioContext;
    window.AudioContext = class extends Native {
      #allowed = false;
      constructor(options?: AudioContextOptions) {
        super(options);
        // Whenever it starts running without a tap having allowed it, stop it again.
        this.addEventListener("statechange", () => {
          if (this.state === "running" && !this.#allowed) void super.suspend();
        });
        void super.suspend();
      }
      override resume(): Promise<void> {
        if (tapped) this.#allowed = true;
        return this.#allowed ? super.resume() : Promise.resolve();
      }
    };
  });
}

/**
 * Production builds put the room's read-only engine hook (`window.__syncBeats`, which the
 * harness's `readPlayer` reads) on the page only on a device that opted in; pages of `context` do.
 */
export async function enableDebugHook(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    try {
      window.localStorage.setItem("sync-beats:debug-hook", "1");
    } catch {
      // about:blank and error pages have no storage; the app's pages do.
    }
  });
}
