import type { Request, RequestHandler } from "express";
import session from "express-session";
import { ApiError } from "../http/errors.js";
import type { Repositories, UserRecord } from "../repositories/types.js";
import type { DatabaseSessionStore } from "./session-store.js";

export const SESSION_COOKIE = "sb.sid";

export interface SessionOptions {
  secret: string;
  ttlMs: number;
  production: boolean;
}

/** express-session with the DB store; only logged-in sessions are saved (no anonymous rows). */
export function sessionMiddleware(store: DatabaseSessionStore, options: SessionOptions): RequestHandler {
  return session({
    name: SESSION_COOKIE,
    secret: options.secret,
    store,
    resave: false,
    saveUninitialized: false,
    // Sliding expiry: every answer re-sends the cookie, so an active user stays logged in and the
    // browser's expiry matches the row's (express-session touches the row on each request anyway).
    rolling: true,
    cookie: {
      httpOnly: true,
      sameSite: "lax",
      secure: options.production,
      maxAge: options.ttlMs,
      path: "/",
    },
  });
}

/**
 * Starts a fresh session for the user: a new id (defeats fixation) and the old row deleted.
 * `ttlMs` gives this session its own (sliding) lifetime, as a guest's is shorter [G1].
 */
export function logIn(req: Request, userId: string, ttlMs?: number): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    req.session.regenerate((regenerateError) => {
      if (regenerateError) return reject(regenerateError);
      req.session.userId = userId;
      // express-session keeps a session's own max age (stored with it) on every later touch.
      if (ttlMs !== undefined) req.session.cookie.maxAge = ttlMs;
      req.session.save((saveError) => (saveError ? reject(saveError) : resolvePromise()));
    });
  });
}

/** Destroys the session row; the cookie is cleared by the caller. */
export function logOut(req: Request): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    if (!req.session) return resolvePromise();
    req.session.destroy((error) => (error ? reject(error) : resolvePromise()));
  });
}

declare module "express-serve-static-core" {
  interface Request {
    /** Set by {@link loadUser} when the session names an existing user. */
    user?: UserRecord;
  }
}

/** Resolves the session's user (a deleted user makes the session anonymous). */
export function loadUser(repos: Repositories): RequestHandler {
  return async (req, _res, next) => {
    const userId = req.session?.userId;
    if (userId) {
      const user = await repos.users.findById(userId);
      if (user) req.user = user;
    }
    next();
  };
}

/** The logged-in user, or 401. */
export function currentUser(req: Request): UserRecord {
  if (!req.user) throw new ApiError("UNAUTHENTICATED", "log in first");
  return req.user;
}
