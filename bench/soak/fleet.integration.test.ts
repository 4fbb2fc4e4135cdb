import { randomBytes } from "node:crypto";
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
  const grantSecret = randomBytes(32).toString("base64url");

  beforeAll(async () => {
    server = await startSyncProcess({ env: { SYNC_SECRET: grantSecret }, inspect: false, traceGc: false });
    // A loaded machine takes long to load tsx: as long as startSyncProcess itself waits.
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    killChildren();
  });

  it("accounts for every broadcast and pong, and the clients' timelines agree with the server's", async () => {
    const fleet = new Fleet({ url: server.url, clients: 8, rooms: 2, commandGapMs: [150, 300], churnPercentPerMinute: 0, queue: { grantSecret, gapMs: [60_000, 60_000] } });
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

  it("accounts for every queue command's result and every queue version, and the room advances through the queue", async () => {
    // Host commands rare (each PLAY / TRACK_CHANGE replaces what the queue plays), queue changes often.
    const fleet = new Fleet({ url: server.url, clients: 6, rooms: 2, commandGapMs: [60_000, 60_000], churnPercentPerMinute: 0, queue: { grantSecret, gapMs: [300, 600] } });
    expect(await fleet.connectAll()).toMatchObject({ opened: 6, failed: 0 });
    fleet.start();
    const { queue } = fleet;
    // Queued tracks last 4–8 s: the server advances on its own at their ends.
    while (queue.advances < 3 || queue.counters.sent.queue_move === 0 || queue.counters.sent.queue_remove === 0) await sleep(200);
    await fleet.drain(10_000);
    await queue.finalCheck();
    fleet.close();

    expect(queue.counters.accepted).toBeGreaterThan(10);
    expect(queue.results.counts).toMatchObject({ delivered: queue.results.counts.expected, dropped: 0, duplicates: 0, unexpected: 0 });
    expect(queue.broadcasts.counts.expected).toBeGreaterThan(queue.counters.accepted);
    expect(queue.broadcasts.counts).toMatchObject({ dropped: 0, duplicates: 0, unexpected: 0 });
    expect(queue.audit.counts).toMatchObject({ mismatches: 0, startsWithoutTrackChange: 0 });
    expect(queue.audit.counts.starts).toBeGreaterThanOrEqual(queue.counters.trackStarts);
    expect(queue.final).toEqual({ agree: 6, behind: 0, differ: 0, rooms: 2, unreachable: 0 });
    // The queue's TRACK_CHANGEs are the server's, not the host's: none lands in the command ledger.
    expect(fleet.commands.counts).toMatchObject({ dropped: 0, unexpected: 0 });
    expect(fleet.counters.divergences).toBe(0);
    expect(fleet.errors).toEqual({});
  }, 120_000);
});
