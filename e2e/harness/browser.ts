import { chromium, type Browser } from "playwright-core";

/**
 * Debian's Chromium, headless, nothing phoning home. Autoplay is allowed unless `autoplay: false`,
 * which makes audio wait for a user gesture as on a phone.
 */
export function launchChromium(options: { autoplay?: boolean } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    timeout: 60_000,
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
