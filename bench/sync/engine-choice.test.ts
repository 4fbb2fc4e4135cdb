import { describe, expect, it } from "vitest";
import { chooseEngines, engineOfClients, type EngineAvailability } from "./engine-choice.js";

const both: EngineAvailability = { chromium: { available: true }, firefox: { available: true } };
const noFirefox: EngineAvailability = { chromium: { available: true }, firefox: { available: false, reason: "no PulseAudio server" } };

describe("chooseEngines", () => {
  it("defaults to both engines when both are installed", () => {
    expect(chooseEngines(undefined, both)).toEqual({ engines: ["chromium", "firefox"], note: null });
  });

  it("defaults to Chromium alone with the reason when Firefox cannot run", () => {
    expect(chooseEngines(undefined, noFirefox)).toEqual({ engines: ["chromium"], note: "Chromium only: no PulseAudio server" });
  });

  it("takes the engines asked for, in order, once each", () => {
    expect(chooseEngines("Firefox, chromium,firefox", both)).toEqual({ engines: ["firefox", "chromium"], note: null });
  });

  it("refuses an unknown engine and an engine asked for that cannot run", () => {
    expect(chooseEngines("chromium,safari", both)).toEqual({ error: 'unknown browser "safari"; known: chromium, firefox' });
    expect(chooseEngines("chromium,firefox", noFirefox)).toEqual({ error: "--browsers asks for firefox: no PulseAudio server" });
  });
});

describe("engineOfClients", () => {
  it("splits the clients into contiguous blocks, one per engine", () => {
    expect(engineOfClients(6, ["chromium", "firefox"])).toEqual(["chromium", "chromium", "chromium", "firefox", "firefox", "firefox"]);
    expect(engineOfClients(3, ["chromium", "firefox"])).toEqual(["chromium", "chromium", "firefox"]);
    expect(engineOfClients(4, ["firefox"])).toEqual(["firefox", "firefox", "firefox", "firefox"]);
  });
});
