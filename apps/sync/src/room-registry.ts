import type { Logger } from "pino";
import type { Backplane } from "./backplane.js";
import { type ChatStore, createMemoryChatStore } from "./chat-store.js";
import type { Clock, Disposer } from "./clock.js";
import { Room, type RoomConfig, type RoomEvents } from "./room.js";

export interface RegistryConfig extends RoomConfig {
  /** How long an empty room (and its timeline) survives, so a brief disconnect loses nothing. */
  emptyRoomGraceMs: number;
}

/**
 * This node's live rooms by code. A room without local members is dropped after a grace period
 * unless someone comes back; with the in-memory backplane its timeline goes with it.
 */
export class RoomRegistry {
  private readonly rooms = new Map<string, Room>();
  private readonly removals = new Map<string, Disposer>();

  constructor(
    private readonly clock: Clock,
    private readonly config: RegistryConfig,
    private readonly logger: Logger,
    private readonly backplane: Backplane,
    private readonly events: Omit<RoomEvents, "onEmpty"> = {},
    private readonly chatStore: ChatStore = createMemoryChatStore(),
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
      const events = { ...this.events, onEmpty: (empty: Room) => this.scheduleRemoval(empty) };
      room = new Room(code, this.clock, this.config, this.backplane, events, this.logger, this.chatStore);
      this.rooms.set(code, room);
    }
    return room;
  }

  /** Every live room, e.g. for shutdown or metrics. */
  all(): IterableIterator<Room> {
    return this.rooms.values();
  }

  async dispose(): Promise<void> {
    for (const cancel of this.removals.values()) cancel();
    this.removals.clear();
    const rooms = [...this.rooms.values()];
    this.rooms.clear();
    await Promise.all(rooms.map((room) => room.dispose()));
  }

  private scheduleRemoval(room: Room): void {
    this.removals.get(room.code)?.();
    this.removals.set(
      room.code,
      this.clock.setTimeout(() => {
        this.removals.delete(room.code);
        if (room.size > 0) return;
        this.rooms.delete(room.code);
        void room.dispose().catch((error: unknown) => this.logger.error({ err: error, room: room.code }, "room disposal failed"));
        this.logger.info({ room: room.code }, "empty room removed");
      }, this.config.emptyRoomGraceMs),
    );
  }
}
