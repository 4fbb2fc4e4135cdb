import { randomUUID } from "node:crypto";
import { Router, type RequestHandler } from "express";
import { LoginBody, SignupBody, SingleLineText } from "@sync-beats/protocol";
import { NO_USER_HASH, hashPassword, verifyPassword } from "../auth/passwords.js";
import { SESSION_COOKIE, currentUser, logIn, logOut } from "../auth/session.js";
import type { WallClock } from "../wall-clock.js";
import { ApiError, parseOr400 } from "../http/errors.js";
import type { Repositories } from "../repositories/types.js";
import { userView } from "../views.js";

export interface AuthRouteDeps {
  repos: Repositories;
  clock: WallClock;
  /** Run in order before a login is checked (per address, then per account). */
  loginLimiters: RequestHandler[];
  signupLimiter: RequestHandler;
  production: boolean;
}

/** `/auth/*`: signup, login, current user, logout. */
export function authRoutes({ repos, clock, loginLimiters, signupLimiter, production }: AuthRouteDeps): Router {
  const router = Router();

  router.post("/signup", signupLimiter, async (req, res) => {
    const body = parseOr400(SignupBody, req.body, "signup");
    const user = {
      id: randomUUID(),
      username: body.username,
      displayName: body.displayName ?? body.username,
      passwordHash: await hashPassword(body.password),
      createdAt: new Date(clock.now()),
      guestRoomCode: null,
    };
    if (!(await repos.users.create(user))) throw new ApiError("USERNAME_TAKEN", "that username is taken");
    await logIn(req, user.id);
    res.status(201).json({ user: userView(user) });
  });

  router.post("/login", ...loginLimiters, async (req, res) => {
    const body = parseOr400(LoginBody, req.body, "login");
    // A name no signup could have produced (control characters: PostgreSQL refuses NUL) is
    // simply unknown, with the same work and answer as any other unknown name.
    const user = SingleLineText.safeParse(body.username).success ? await repos.users.findByUsername(body.username) : null;
    // Same work and same answer whether the user is unknown or the password wrong.
    const ok = await verifyPassword(body.password, user?.passwordHash ?? NO_USER_HASH);
    if (!user || !ok) throw new ApiError("INVALID_CREDENTIALS", "wrong username or password");
    await logIn(req, user.id);
    res.json({ user: userView(user) });
  });

  router.get("/dashboard", (req, res) => {
    res.json({ user: userView(currentUser(req)) });
  });

  // Signed out is an answer here, not an error (A19): the landing page asks on every visit.
  router.get("/session", (req, res) => {
    res.json({ user: req.user ? userView(req.user) : null });
  });

  // GET is in the spec; POST is what clients should use.
  router.all("/logout", async (req, res, next) => {
    if (req.method !== "GET" && req.method !== "POST") return next();
    // A link or redirect on another site would log the user out (B4): Lax cookies ride along on
    // top-level GET navigations, and browsers send no Origin with them, so the origin guard cannot
    // see it. Fetch metadata can. A request without the header (curl, old browsers) still works.
    if (req.method === "GET" && req.get("sec-fetch-site") === "cross-site") {
      throw new ApiError("BAD_ORIGIN", "log out from the app (POST /auth/logout)");
    }
    await logOut(req);
    res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: "lax", secure: production, path: "/" });
    res.json({ ok: true });
  });

  return router;
}
