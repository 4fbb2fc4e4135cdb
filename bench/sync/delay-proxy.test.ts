import { createServer, connect, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { plannedDelivery, startDelayProxy, type DelayProxy } from "./delay-proxy.js";
import { listenLoopback, nowMs } from "./time.js";

describe("plannedDelivery", () => {
  it("holds whatever arrives in a spike window until the window ends", () => {
    const model = { baseMs: 10, jitterMs: 0, spikes: { periodMs: 1000, holdMs: 300, phaseMs: 100 } };
    expect(plannedDelivery(model, 1050, 1000, () => 0.5)).toBe(1060);
    expect(plannedDelivery(model, 1150, 1000, () => 0.5)).toBe(1400);
    expect(plannedDelivery(model, 2390, 1000, () => 0.5)).toBe(2400);
    expect(plannedDelivery(model, 2450, 1000, () => 0.5)).toBe(2460);
  });
});

describe("startDelayProxy", () => {
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it("delays each direction and never reorders, however the jitter falls", async () => {
    const echo = createServer((socket) => socket.on("data", (data) => socket.write(data)));
    const port = await listenLoopback(echo);
    cleanup.push(() => new Promise((resolve) => echo.close(resolve)));
    const proxy: DelayProxy = await startDelayProxy(port, { up: { baseMs: 20, jitterMs: 15 }, down: { baseMs: 5, jitterMs: 0 } }, 3);
    cleanup.push(() => proxy.close());
    const socket: Socket = connect({ host: "127.0.0.1", port: proxy.port });
    socket.setNoDelay(true);
    cleanup.push(() => socket.destroy());
    await new Promise((resolve) => socket.once("connect", resolve));
    let received = "";
    socket.on("data", (data) => (received += data.toString("latin1")));
    const sentAt = nowMs();
    const expected = Array.from({ length: 40 }, (_, i) => `<${i}>`).join("");
    for (let i = 0; i < 40; i += 1) {
      socket.write(`<${i}>`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    while (received.length < expected.length && nowMs() - sentAt < 3000) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(received).toBe(expected);
    expect(Math.min(...proxy.up.delaysMs)).toBeGreaterThanOrEqual(4.9);
    expect(Math.min(...proxy.down.delaysMs)).toBeGreaterThanOrEqual(4.9);
  });
});
