import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { killChildren, type ServerProcess, sleep, startSyncProcess } from "../load/processes.js";
import { Fleet } from "./fleet.js";

/**
 * The soak's accounting against the real sync server: with nobody joining mid-run, every command
 * broadcast and every pong must be matched to its send, and every client's rendered timeline
 * must agree with the server's. A miscounted key or a wrong playback model fails here.
 */
describe("Fleet against a real sync server", () => {
  let server: ServerProcess;

  beforeAll(async () => {
    server = await startSyncProcess({ env: {}, inspect: false, traceGc: false });
  });

  afterAll(async () => {
    await server?.stop();
    killChildren();
  });

  it("accounts for every broadcast and pong, and the clients' timelines agree with the server's", async () => {
    const fleet = new Fleet({ url: server.url, clients: 8, rooms: 2, commandGapMs: [150, 300], churnPercentPerMinute: 0 });
    const connect = await fleet.connectAll();
    expect(connect).toMatchObject({ opened: 8, failed: 0 });
    fleet.start();
    // Long enough for two turns of the command cycle per room and a pong per client.
    while (fleet.counters.commandsSent < 24 || fleet.pongs.counts.delivered < 8) await sleep(100);
    await fleet.drain(10_000);
    fleet.close();

    const { commands, pongs, counters } = fleet;
    expect(commands.counts.expected).toBeGreaterThanOrEqual(24 * 4);
    expect(commands.counts).toMatchObject({ delivered: commands.counts.expected, dropped: 0, duplicates: 0, unexpected: 0, refused: 0 });
    expect(pongs.counts).toMatchObject({ delivered: pongs.counts.expected, dropped: 0, duplicates: 0, unexpected: 0 });
    expect(fleet.latency.count).toBe(commands.counts.delivered);
    expect(counters.divergences).toBe(0);
    expect(counters.resyncs).toBe(0);
    expect(counters.syncChecksSent).toBeGreaterThan(0);
    expect(fleet.errors).toEqual({});
    expect(fleet.unexpectedCloses).toEqual({});
  }, 60_000);
});
