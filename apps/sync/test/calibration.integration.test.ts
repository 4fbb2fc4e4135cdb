import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import type { SyncServerConfig } from "../src/config.js";
import { type RunningSyncServer, startSyncServer } from "../src/server.js";
import { testRoomConfig, ticketServerConfig } from "./harness.js";
import { TestClient } from "./ws-client.js";

// Dev identity (the first joiner hosts): the ticket-mode config without its secret.
const config: SyncServerConfig = { ...ticketServerConfig("unused"), room: testRoomConfig, ticketSecret: null };

let server: RunningSyncServer | null = null;
const clients: TestClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server?.close();
  server = null;
});

describe("calibration over real WebSockets", () => {
  it("[CAL10][CAL14] start → schedule to everyone → the measuring device's result → done to everyone", async () => {
    server = await startSyncServer(config, pino({ level: "silent" }));
    const url = `ws://127.0.0.1:${server.port}`;
    for (const userId of ["host", "laptop", "speaker"]) clients.push(await TestClient.join(url, userId, "CAL234"));
    const [host, laptop, speaker] = clients as [TestClient, TestClient, TestClient];
    const ids = await Promise.all(clients.map(async (client) => (await client.first("joined")).connectionId!));
    expect(new Set(ids).size).toBe(3);

    host.send({ type: "calibration_start", id: "cal-1" });
    const [schedule, laptopSchedule, accepted] = await Promise.all([host.next("calibration_schedule"), laptop.next("calibration_schedule"), host.answer("cal-1")]);
    expect(laptopSchedule).toEqual(schedule);
    expect(accepted).toMatchObject({ type: "command_accepted", atServerMs: schedule.slots[0]!.atServerMs });
    expect(schedule.slots.map((slot) => slot.connectionId).slice(0, 2)).toEqual([ids[1], ids[2]]);

    host.send({
      type: "calibration_result",
      id: "res-1",
      calibrationId: "cal-1",
      results: [
        { connectionId: ids[1], heard: true, correctionMs: -3.25, confidenceDb: 28 },
        { connectionId: ids[2], heard: false, reason: "below-threshold", confidenceDb: 6 },
      ],
    });
    const [done, speakerDone] = await Promise.all([laptop.next("calibration_done"), speaker.next("calibration_done")]);
    expect(speakerDone).toEqual(done);
    expect(done.results).toEqual([
      { connectionId: ids[1], heard: true, correctionMs: -3.25, confidenceDb: 28 },
      { connectionId: ids[2], heard: false, reason: "below-threshold", confidenceDb: 6 },
    ]);
    expect(await host.answer("res-1")).toMatchObject({ type: "command_accepted" });
  });
});
