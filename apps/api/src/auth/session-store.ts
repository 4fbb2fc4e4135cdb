import session from "express-session";
import type { WallClock } from "../wall-clock.js";
import type { SessionRepository } from "../repositories/types.js";

declare module "express-session" {
  interface SessionData {
    userId: string;
  }
}

type Callback<T = void> = (error?: unknown, value?: T) => void;

/** Bridges a promise to a node-style callback, exactly once, whichever step throws. */
function settle<T>(work: () => Promise<T>, callback: Callback<T> | undefined): void {
  work().then(
    (value) => callback?.(undefined, value),
    (error: unknown) => callback?.(error),
  );
}

/**
 * express-session store over the session repository, so sessions survive restarts and a logout
 * deletes the row. `user_id` is stored beside the JSON blob so rows can be found by user.
 */
export class DatabaseSessionStore extends session.Store {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly clock: WallClock,
    private readonly ttlMs: number,
  ) {
    super();
  }

  private expiry(data: session.SessionData): Date {
    const expires = data.cookie?.expires;
    return expires ? new Date(expires) : new Date(this.clock.now() + this.ttlMs);
  }

  override get(sid: string, callback: Callback<session.SessionData | null>): void {
    settle(async () => {
      const row = await this.sessions.get(sid, new Date(this.clock.now()));
      return row ? (JSON.parse(row.data) as session.SessionData) : null;
    }, callback);
  }

  override set(sid: string, data: session.SessionData, callback?: Callback): void {
    settle(() => this.sessions.set({ sid, userId: data.userId ?? null, data: JSON.stringify(data), expiresAt: this.expiry(data) }), callback);
  }

  override touch(sid: string, data: session.SessionData, callback?: Callback): void {
    settle(() => this.sessions.touch(sid, this.expiry(data)), callback);
  }

  override destroy(sid: string, callback?: Callback): void {
    settle(() => this.sessions.destroy(sid), callback);
  }

  /** Deletes expired rows; the server calls it periodically. */
  prune(): Promise<number> {
    return this.sessions.deleteExpired(new Date(this.clock.now()));
  }
}
