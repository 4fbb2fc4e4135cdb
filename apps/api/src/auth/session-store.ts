import session from "express-session";
import type { Clock } from "../clock.js";
import type { SessionRepository } from "../repositories/types.js";

declare module "express-session" {
  interface SessionData {
    userId: string;
  }
}

type Callback<T = void> = (error?: unknown, value?: T) => void;

/**
 * express-session store over the session repository, so sessions survive restarts and a logout
 * deletes the row. `user_id` is stored beside the JSON blob so rows can be found by user.
 */
export class DatabaseSessionStore extends session.Store {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {
    super();
  }

  private expiry(data: session.SessionData): Date {
    const expires = data.cookie?.expires;
    return expires ? new Date(expires) : new Date(this.clock.now() + this.ttlMs);
  }

  override get(sid: string, callback: Callback<session.SessionData | null>): void {
    this.sessions.get(sid, new Date(this.clock.now())).then(
      (row) => callback(undefined, row ? (JSON.parse(row.data) as session.SessionData) : null),
      (error) => callback(error),
    );
  }

  override set(sid: string, data: session.SessionData, callback?: Callback): void {
    const row = { sid, userId: data.userId ?? null, data: JSON.stringify(data), expiresAt: this.expiry(data) };
    this.sessions.set(row).then(() => callback?.(), (error) => callback?.(error));
  }

  override touch(sid: string, data: session.SessionData, callback?: Callback): void {
    this.sessions.touch(sid, this.expiry(data)).then(() => callback?.(), (error) => callback?.(error));
  }

  override destroy(sid: string, callback?: Callback): void {
    this.sessions.destroy(sid).then(() => callback?.(), (error) => callback?.(error));
  }

  /** Deletes expired rows; the server calls it periodically. */
  prune(): Promise<number> {
    return this.sessions.deleteExpired(new Date(this.clock.now()));
  }
}
