import { DEFAULT_SCHEDULE_SHAPE, planSlots, type ScheduleShape, scheduleEndMs } from "@sync-beats/calibration-dsp";
import type { CalibrationDeviceResult, ClientMessageOf, ServerMessage } from "@sync-beats/protocol";
import type { PresenceEntry } from "./backplane.js";
import type { Clock, Disposer } from "./clock.js";
import { ProtocolError } from "./errors.js";
import type { Member } from "./room-member.js";

/** What a room lends its calibration: time, its members here, presence everywhere, broadcast. */
export interface CalibrationPort {
  readonly clock: Clock;
  leadMs(): number;
  hostUserId(): string | null;
  localMembers(): Iterable<Member>;
  presence(): Promise<PresenceEntry[]>;
  publish(message: ServerMessage): Promise<void>;
}

export interface CalibrationTiming {
  /** Lead before the first slot: the measuring device opens its microphone (a permission prompt) meanwhile. */
  readonly setupMs: number;
  /** After the last window closes, how long the measuring device has to report before the run is abandoned. */
  readonly reportMs: number;
  readonly shape: ScheduleShape;
}

export const DEFAULT_CALIBRATION_TIMING: CalibrationTiming = { setupMs: 2000, reportMs: 20_000, shape: DEFAULT_SCHEDULE_SHAPE };

type CalibrationState =
  | { phase: "idle" }
  | { phase: "running"; calibrationId: string; measuringConnectionId: string; devices: ReadonlySet<string>; abandon: Disposer };

/**
 * One room's calibration on this node (CAL10–CAL16): the host starts it, the server plans every
 * other device's turn, only the measuring device reports, and the results are broadcast. The run
 * lives on the node of the measuring connection, which must be the host's node (CAL12).
 */
export class RoomCalibration {
  private state: CalibrationState = { phase: "idle" };

  constructor(
    private readonly port: CalibrationPort,
    private readonly timing: CalibrationTiming = DEFAULT_CALIBRATION_TIMING,
  ) {}

  /** Plans and broadcasts a run; resolves with its first slot's instant. */
  async start(sender: Member, command: ClientMessageOf<"calibration_start">): Promise<number> {
    if (sender.identity.userId !== this.port.hostUserId()) throw new ProtocolError("NOT_HOST", "only the host calibrates the room");
    this.refuseIfRunning();
    const presence = await this.port.presence();
    const measuring = this.measuringMember(sender, command.measuringUserId, presence);
    const devices = presence.filter((entry) => entry.id !== measuring.id);
    if (devices.length === 0) throw new ProtocolError("NOT_PARTICIPANT", "no other device in the room to calibrate");
    // Checked again: another start may have begun while presence was read.
    this.refuseIfRunning();
    const { shape } = this.timing;
    const firstMs = this.port.clock.now() + Math.max(this.timing.setupMs, this.port.leadMs());
    const slots = planSlots(devices.map((entry) => entry.id), firstMs, shape);
    const byId = new Map(devices.map((entry) => [entry.id, entry]));
    const endServerMs = scheduleEndMs(slots, shape);
    const calibrationId = command.id;
    const abandon = this.port.clock.setTimeout(() => this.abandon(calibrationId, "timeout"), endServerMs + this.timing.reportMs - this.port.clock.now());
    this.state = { phase: "running", calibrationId, measuringConnectionId: measuring.id, devices: new Set(byId.keys()), abandon };
    await this.port.publish({
      type: "calibration_schedule",
      calibrationId,
      measuringConnectionId: measuring.id,
      sweep: { ...shape.sweep },
      slotMs: shape.slotMs,
      earlyMs: shape.earlyMs,
      repeats: shape.repeats,
      codes: shape.codes,
      slots: slots.map((slot) => ({ connectionId: slot.key, userId: byId.get(slot.key)!.userId, name: byId.get(slot.key)!.name, atServerMs: slot.atServerMs, code: slot.code })),
      endServerMs,
    });
    return firstMs;
  }

  /** Takes the measuring device's report and broadcasts every device's result (CAL14, CAL15). */
  async result(sender: Member, command: ClientMessageOf<"calibration_result">): Promise<number> {
    const state = this.state;
    if (state.phase !== "running" || state.calibrationId !== command.calibrationId) {
      throw new ProtocolError("INVALID_MESSAGE", "no such calibration is running");
    }
    if (sender.id !== state.measuringConnectionId) throw new ProtocolError("NOT_PARTICIPANT", "only the measuring device reports");
    const reported = new Map<string, CalibrationDeviceResult>();
    for (const result of command.results) {
      if (!state.devices.has(result.connectionId)) throw new ProtocolError("INVALID_MESSAGE", `${result.connectionId} was not scheduled`);
      if (reported.has(result.connectionId)) throw new ProtocolError("INVALID_MESSAGE", `${result.connectionId} reported twice`);
      reported.set(result.connectionId, result);
    }
    const results = [...state.devices].map(
      (connectionId): CalibrationDeviceResult => reported.get(connectionId) ?? { connectionId, heard: false, reason: "not-reported", confidenceDb: 0 },
    );
    state.abandon();
    this.state = { phase: "idle" };
    await this.port.publish({ type: "calibration_done", calibrationId: state.calibrationId, results });
    return this.port.clock.now();
  }

  /** A measuring device that leaves ends its run: nobody else can report it. */
  memberLeft(memberId: string): void {
    if (this.state.phase === "running" && this.state.measuringConnectionId === memberId) {
      this.abandon(this.state.calibrationId, "measuring-device-left");
    }
  }

  dispose(): void {
    if (this.state.phase === "running") this.state.abandon();
    this.state = { phase: "idle" };
  }

  private abandon(calibrationId: string, reason: "measuring-device-left" | "timeout"): void {
    if (this.state.phase !== "running" || this.state.calibrationId !== calibrationId) return;
    this.state.abandon();
    this.state = { phase: "idle" };
    this.port.publish({ type: "calibration_abandoned", calibrationId, reason }).catch(() => undefined);
  }

  private refuseIfRunning(): void {
    if (this.state.phase === "running") throw new ProtocolError("CALIBRATION_RUNNING", "a calibration is already running");
  }

  /** The sender's connection, or the named user's connection here (the longest connected one). */
  private measuringMember(sender: Member, userId: string | undefined, presence: PresenceEntry[]): Member {
    if (userId === undefined || userId === sender.identity.userId) return sender;
    const local = [...this.port.localMembers()].find((member) => member.identity.userId === userId);
    if (local) return local;
    const elsewhere = presence.some((entry) => entry.userId === userId);
    throw new ProtocolError("NOT_PARTICIPANT", elsewhere ? "the measuring device is connected to another sync node" : "the measuring user is not in the room");
  }
}
