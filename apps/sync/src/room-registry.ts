import type { Logger } from "pino";
import type { Clock, Disposer } from "./clock.js";
import { Room, type RoomConfig, type RoomEvents } from "./room.js";

export interface RegistryConfig extends RoomConfig {
  /** How long an empty room (and its timeline) survives, so a brief disconnect loses nothing. */
  emptyRoomGraceMs: number;
}

/** Live rooms by code. Empty rooms are removed after a grace period unless someone comes back. */
export class RoomRegistry {
  private readonly rooms = new Map<string, Room>();
  private readonly removals = new Map<string, Disposer>();

  constructor(
    private readonly clock: Clock,
    private readonly config: RegistryConfig,
    private readonly logger: Logger,
    private readonly events: Omit<RoomEvents, "onEmpty"> = {},
  ) {}

  get size(): number {
    return this.rooms.size;
  }

  get(code: string): Room | undefined {
    return this.rooms.get(code);
  }

  getOrCreate(code: string): Room {
    this.removals.get(code)?.();
    this.removals.delete(code);
    let room = this.rooms.get(code);
    if (!room) {
      room = new Room(code, this.clock, this.config, { ...this.events, onEmpty: (empty) => this.scheduleRemoval(empty) }, this.logger);
      this.rooms.set(code, room);
    }
    return room;
  }

  /** Every live room, e.g. for shutdown or metrics. */
  all(): IterableIterator<Room> {
    return this.rooms.values();
  }

  dispose(): void {
    for (const cancel of this.removals.values()) cancel();
    for (const room of this.rooms.values()) room.dispose();
    this.removals.clear();
    this.rooms.clear();
  }

  private scheduleRemoval(room: Room): void {
    this.removals.get(room.code)?.();
    this.removals.set(
      room.code,
      this.clock.setTimeout(() => {
        this.removals.delete(room.code);
        if (room.size > 0) return;
        room.dispose();
        this.rooms.delete(room.code);
        this.logger.info({ room: room.code }, "empty room removed");
      }, this.config.emptyRoomGraceMs),
    );
  }
}
