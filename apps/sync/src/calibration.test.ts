import { DEFAULT_SCHEDULE_SHAPE } from "@sync-beats/calibration-dsp";
import { describe, expect, it } from "vitest";
import { createHarness } from "../test/harness.js";
import { DEFAULT_CALIBRATION_TIMING } from "./calibration.js";

const { slotMs, repeats } = DEFAULT_SCHEDULE_SHAPE;

async function room() {
  const harness = createHarness();
  const host = await harness.joinAs("alice");
  const bob = await harness.joinAs("bob");
  const carol = await harness.joinAs("carol");
  const ids = [host, bob, carol].map((client) => client.socket.last("joined").connectionId!);
  return { ...harness, host, bob, carol, ids };
}

describe("calibration scheduling", () => {
  it("[CAL10] the host's start schedules every other device in turn, after the setup lead, and is accepted with the first instant", async () => {
    const { clock, host, bob, carol, ids } = await room();
    const startedAt = clock.now();
    await host.send({ type: "calibration_start", id: "cal-1" });
    const schedule = bob.socket.last("calibration_schedule");
    expect(carol.socket.last("calibration_schedule")).toEqual(schedule);
    expect(host.socket.last("calibration_schedule")).toEqual(schedule);
    expect(schedule.measuringConnectionId).toBe(ids[0]);
    expect(schedule.slots.map((slot) => slot.connectionId)).toEqual([ids[1], ids[2], ids[1], ids[2]].slice(0, 2 * repeats));
    expect(schedule.slots.map((slot) => slot.userId).slice(0, 2)).toEqual(["bob", "carol"]);
    const first = schedule.slots[0]!.atServerMs;
    expect(first).toBe(startedAt + DEFAULT_CALIBRATION_TIMING.setupMs);
    expect(schedule.slots.map((slot) => slot.atServerMs - first)).toEqual(schedule.slots.map((_, index) => index * slotMs));
    expect(host.socket.last("command_accepted")).toEqual({ type: "command_accepted", id: "cal-1", atServerMs: first });
  });

  it("[CAL11] a listener may not calibrate, and a second start while one runs is refused", async () => {
    const { host, bob } = await room();
    await bob.send({ type: "calibration_start", id: "cal-b" });
    expect(bob.socket.last("command_refused")).toMatchObject({ id: "cal-b", code: "NOT_HOST" });
    await host.send({ type: "calibration_start", id: "cal-1" });
    await host.send({ type: "calibration_start", id: "cal-2" });
    expect(host.socket.last("command_refused")).toMatchObject({ id: "cal-2", code: "CALIBRATION_RUNNING" });
  });

  it("[CAL12] the host may name another user's device as the measuring one; that device is then not scheduled", async () => {
    const { host, bob, ids } = await room();
    await host.send({ type: "calibration_start", id: "cal-1", measuringUserId: "bob" });
    const schedule = bob.socket.last("calibration_schedule");
    expect(schedule.measuringConnectionId).toBe(ids[1]);
    expect(new Set(schedule.slots.map((slot) => slot.connectionId))).toEqual(new Set([ids[0], ids[2]]));
  });

  it("[CAL12] a measuring user not in the room, or a room with nobody else, is refused", async () => {
    const { host } = await room();
    await host.send({ type: "calibration_start", id: "cal-z", measuringUserId: "zed" });
    expect(host.socket.last("command_refused")).toMatchObject({ id: "cal-z", code: "NOT_PARTICIPANT" });
    const alone = createHarness();
    const solo = await alone.joinAs("solo");
    await solo.send({ type: "calibration_start", id: "cal-s" });
    expect(solo.socket.last("command_refused")).toMatchObject({ id: "cal-s", code: "NOT_PARTICIPANT" });
  });

  it("[CAL14] only the measuring device reports; results are broadcast, unreported devices marked not heard", async () => {
    const { host, bob, carol, ids } = await room();
    await host.send({ type: "calibration_start", id: "cal-1" });
    const result = { type: "calibration_result", id: "res-1", calibrationId: "cal-1", results: [{ connectionId: ids[1], heard: true, correctionMs: 12.5, confidenceDb: 31 }] };
    await bob.send({ ...result, id: "res-b" });
    expect(bob.socket.last("command_refused")).toMatchObject({ id: "res-b", code: "NOT_PARTICIPANT" });
    await host.send(result);
    expect(host.socket.last("command_accepted")).toMatchObject({ id: "res-1" });
    const done = carol.socket.last("calibration_done");
    expect(done).toEqual({
      type: "calibration_done",
      calibrationId: "cal-1",
      results: [
        { connectionId: ids[1], heard: true, correctionMs: 12.5, confidenceDb: 31 },
        { connectionId: ids[2], heard: false, reason: "not-reported", confidenceDb: 0 },
      ],
    });
    await host.send({ ...result, id: "res-2" });
    expect(host.socket.last("command_refused")).toMatchObject({ id: "res-2", code: "INVALID_MESSAGE" });
  });

  it("[CAL15] a result naming a device that was not scheduled, or one twice, is refused and the run goes on", async () => {
    const { host, bob, ids } = await room();
    await host.send({ type: "calibration_start", id: "cal-1" });
    const entry = { connectionId: ids[1], heard: false, reason: "below-threshold", confidenceDb: 4 };
    await host.send({ type: "calibration_result", id: "r1", calibrationId: "cal-1", results: [{ ...entry, connectionId: ids[0] }] });
    expect(host.socket.last("command_refused")).toMatchObject({ id: "r1", code: "INVALID_MESSAGE" });
    await host.send({ type: "calibration_result", id: "r2", calibrationId: "cal-1", results: [entry, entry] });
    expect(host.socket.last("command_refused")).toMatchObject({ id: "r2", code: "INVALID_MESSAGE" });
    await host.send({ type: "calibration_result", id: "r3", calibrationId: "cal-1", results: [entry] });
    expect(bob.socket.last("calibration_done").results[0]).toEqual(entry);
  });

  it("[CAL15] a correction outside ±2 s or a malformed result is refused by validation with the command's id", async () => {
    const { host, ids } = await room();
    await host.send({ type: "calibration_start", id: "cal-1" });
    await host.send({ type: "calibration_result", id: "r1", calibrationId: "cal-1", results: [{ connectionId: ids[1], heard: true, correctionMs: 5000, confidenceDb: 20 }] });
    expect(host.socket.last("command_refused")).toMatchObject({ id: "r1", code: "INVALID_MESSAGE" });
    await host.send({ type: "calibration_start", id: "bad id!" });
    expect(host.socket.last("error")).toMatchObject({ code: "INVALID_MESSAGE" });
  });

  it("[CAL16] a run nobody reports is abandoned after the report deadline; a new one may start", async () => {
    const { host, bob, advance } = await room();
    await host.send({ type: "calibration_start", id: "cal-1" });
    const schedule = bob.socket.last("calibration_schedule");
    await advance(schedule.endServerMs - schedule.slots[0]!.atServerMs + DEFAULT_CALIBRATION_TIMING.setupMs + DEFAULT_CALIBRATION_TIMING.reportMs - 1);
    expect(bob.socket.ofType("calibration_abandoned")).toHaveLength(0);
    await advance(2);
    expect(bob.socket.last("calibration_abandoned")).toEqual({ type: "calibration_abandoned", calibrationId: "cal-1", reason: "timeout" });
    await host.send({ type: "calibration_start", id: "cal-2" });
    expect(host.socket.last("command_accepted")).toMatchObject({ id: "cal-2" });
  });

  it("[CAL16] the measuring device leaving abandons the run", async () => {
    const { host, bob } = await room();
    await host.send({ type: "calibration_start", id: "cal-1", measuringUserId: "bob" });
    await bob.close();
    expect(host.socket.last("calibration_abandoned")).toMatchObject({ calibrationId: "cal-1", reason: "measuring-device-left" });
  });
});
