import { describe, expect, it } from "vitest";
import { readRuntimeConfig, resolveForPage } from "./runtime-config.js";

describe("readRuntimeConfig", () => {
  it("falls back to the documented defaults", () => {
    expect(readRuntimeConfig({})).toEqual({ apiUrl: "http://localhost:5001", socketHost: "localhost:6001" });
  });

  it("trims trailing slashes and a ws:// scheme given by mistake", () => {
    expect(
      readRuntimeConfig({ NEXT_PUBLIC_API_URL: "http://api.test:8080/", NEXT_PUBLIC_SOCKET_HOST: "ws://sync.test:9000/" }),
    ).toEqual({ apiUrl: "http://api.test:8080", socketHost: "sync.test:9000" });
  });
});

describe("resolveForPage", () => {
  const config = { apiUrl: "http://localhost:5001", socketHost: "localhost:6001" };

  it("keeps loopback hosts when the page is on loopback", () => {
    expect(resolveForPage(config, { protocol: "http:", hostname: "localhost" })).toEqual({
      apiUrl: "http://localhost:5001",
      syncUrl: "ws://localhost:6001/",
    });
  });

  it("swaps loopback for the page host when a phone opens the LAN address", () => {
    expect(resolveForPage(config, { protocol: "http:", hostname: "192.168.1.20" })).toEqual({
      apiUrl: "http://192.168.1.20:5001",
      syncUrl: "ws://192.168.1.20:6001/",
    });
  });

  it("uses wss under https and leaves explicit hosts alone", () => {
    const remote = { apiUrl: "https://api.example.com", socketHost: "sync.example.com" };
    expect(resolveForPage(remote, { protocol: "https:", hostname: "app.example.com" })).toEqual({
      apiUrl: "https://api.example.com",
      syncUrl: "wss://sync.example.com/",
    });
  });
});
