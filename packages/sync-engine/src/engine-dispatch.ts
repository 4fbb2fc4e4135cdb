import type { ServerMessage } from "@sync-beats/protocol";
import type { TimelineMessage } from "@sync-beats/timeline";
import type { EngineCalibration } from "./calibration-run.js";
import type { ChatFeedState } from "./chat-feed.js";
import type { ClockSample } from "./clock-estimator.js";
import type { CommandLedger } from "./commands.js";
import { endFromError, type SessionEnd } from "./session-end.js";
import type { EngineError } from "./types.js";

type Message<T extends ServerMessage["type"]> = Extract<ServerMessage, { type: T }>;

/** Where {@link dispatchServerMessage} delivers each kind of server message (the engine's parts). */
export interface EngineInbox {
  clockSample(sample: ClockSample): void;
  joined(message: Message<"joined">): void;
  roomChanged(message: Message<"user_joined" | "user_left" | "host_changed" | "room_updated">): void;
  readonly calibration: EngineCalibration;
  readonly commands: CommandLedger;
  readonly chat: ChatFeedState;
  queue(message: Message<"queue">): void;
  timeline(message: TimelineMessage): void;
  end(end: SessionEnd): void;
  fail(code: EngineError["code"], message: string): void;
  /** Something in the snapshot changed. */
  changed(): void;
  now(): number;
}

/** Routes one validated server message, received at local instant `receivedAt`. */
export function dispatchServerMessage(inbox: EngineInbox, message: ServerMessage, receivedAt: number): void {
  switch (message.type) {
    case "time_pong":
      return inbox.clockSample({ t0: message.t0, t1: message.t1, t2: message.t2, t3: receivedAt });
    case "joined":
      return inbox.joined(message);
    case "calibration_schedule":
    case "calibration_done":
    case "calibration_abandoned":
      return inbox.calibration.onMessage(message);
    case "user_joined":
    case "user_left":
    case "host_changed":
    case "room_updated":
      return inbox.roomChanged(message);
    case "command_accepted":
      if (inbox.commands.accepted(message.id)) inbox.changed();
      else inbox.chat.answered(message.id, null);
      return;
    case "command_refused":
      if (inbox.calibration.refused(message)) return inbox.changed();
      if (inbox.commands.refused(message.id, message.code, message.message, inbox.now())) inbox.changed();
      else inbox.chat.answered(message.id, { code: message.code, message: message.message });
      return;
    case "queue":
      return inbox.queue(message);
    case "reaction":
    case "chat_message":
    case "chat_history":
    case "chat_removed":
      return inbox.chat.receive(message);
    case "room_closed":
      return inbox.end({ reason: "room closed", error: null, roomClosed: { reason: message.reason } });
    case "error": {
      // A final error comes right before the server's close: ending now makes that close stale.
      const end = endFromError(message.code, message.message);
      return end ? inbox.end(end) : inbox.fail(message.code, message.message);
    }
    default:
      // The rest are timeline messages (a new message type fails to compile here until handled).
      return inbox.timeline(message);
  }
}
