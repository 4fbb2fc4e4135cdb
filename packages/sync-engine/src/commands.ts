import type { ControlMessage, ErrorCode, QueueMessage } from "@sync-beats/protocol";

type WithoutId<T> = T extends unknown ? Omit<T, "id"> : never;

/** Every message the engine sends as a command (with an `id` the server answers). */
export type CommandMessage = ControlMessage | QueueMessage;
type CommandType = CommandMessage["type"];

/** A command as the engine builds it: the ledger adds the `id`. */
export type CommandWithoutId = WithoutId<CommandMessage>;

/** A queue command as the page builds it (see {@link SyncEngine.queue}). */
export type QueueCommandInput = WithoutId<QueueMessage>;

/** A command the server refused: it changed nothing. */
export interface CommandRefusal {
  readonly id: string;
  readonly type: CommandType;
  readonly code: ErrorCode;
  readonly message: string;
  /** Local clock instant the refusal arrived (ms). */
  readonly atMs: number;
}

/** The engine's commands as the snapshot shows them. */
export interface CommandsState {
  /** Sent and not yet answered by `command_accepted` / `command_refused`. */
  readonly pending: number;
  /** Sent on a socket that closed before the answer came: their fate is unknown (not refused). */
  readonly lost: number;
  /** The latest refusal, for the person who clicked. */
  readonly lastRefusal: CommandRefusal | null;
}

const ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** A random prefix (8 of [a-z0-9]) so ids of two engines (tabs, reloads) of one user do not collide. */
function idPrefix(random: () => number): string {
  let prefix = "";
  for (let i = 0; i < 8; i++) prefix += ID_ALPHABET[Math.floor(random() * ID_ALPHABET.length) % ID_ALPHABET.length];
  return prefix;
}

/**
 * The commands this engine sent, from their fresh `id` until the server's answer (pure
 * bookkeeping: the engine feeds it what it sends, receives and when the socket goes).
 */
export class CommandLedger {
  private readonly prefix: string;
  private counter = 0;
  private readonly pending = new Map<string, CommandType>();
  private lost = 0;
  private lastRefusal: CommandRefusal | null = null;
  private current: CommandsState = { pending: 0, lost: 0, lastRefusal: null };

  constructor(random: () => number) {
    this.prefix = idPrefix(random);
  }

  /** A fresh id within the protocol's CommandId charset: `<prefix>-<counter>`. */
  private nextId(): string {
    this.counter += 1;
    return `${this.prefix}-${this.counter}`;
  }

  /**
   * Gives `command` a fresh id and hands it to `send`; when sent it is pending until the answer.
   * Returns the id, or null when `send` could not send it.
   */
  issue(command: CommandWithoutId, send: (message: CommandMessage) => boolean): string | null {
    const id = this.nextId();
    // The spread keeps each union member's own fields; TypeScript cannot see that through `Omit`.
    if (!send({ ...command, id } as CommandMessage)) return null;
    this.pending.set(id, command.type);
    this.update();
    return id;
  }

  /** `command_accepted`; false when the id is not pending (an answer for a lost command, or none of ours). */
  accepted(id: string): boolean {
    if (!this.pending.delete(id)) return false;
    this.update();
    return true;
  }

  /** `command_refused`; false when the id is not pending. */
  refused(id: string, code: ErrorCode, message: string, atMs: number): boolean {
    const type = this.pending.get(id);
    if (type === undefined) return false;
    this.pending.delete(id);
    this.lastRefusal = { id, type, code, message, atMs };
    this.update();
    return true;
  }

  /** The socket closed: every pending command is lost (no answer will come on a new socket). */
  socketGone(): void {
    if (this.pending.size === 0) return;
    this.lost += this.pending.size;
    this.pending.clear();
    this.update();
  }

  /** The current state (the same object until something changes). */
  state(): CommandsState {
    return this.current;
  }

  private update(): void {
    this.current = Object.freeze({ pending: this.pending.size, lost: this.lost, lastRefusal: this.lastRefusal });
  }
}
