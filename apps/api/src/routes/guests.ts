import { randomBytes, randomUUID } from "node:crypto";
import { Router, type RequestHandler } from "express";
import {
  GuestJoinBody,
  type GuestJoinResponse,
  InviteToken,
  type InviteLookupResponse,
  type RoomInviteResponse,
  SetInviteBody,
  UpgradeGuestBody,
} from "@sync-beats/protocol";
import { z } from "zod";
import { hashPassword } from "../auth/passwords.js";
import { currentUser, logIn } from "../auth/session.js";
import { ApiError, parseOr400 } from "../http/errors.js";
import type { InviteRecord, Repositories } from "../repositories/types.js";
import { userView } from "../views.js";
import type { WallClock } from "../wall-clock.js";
import { requireOwner, roomOfRequest } from "./room-access.js";

/** A fresh link secret: 128 random bits, base64url (22 characters). */
const newToken = () => randomBytes(16).toString("base64url");

const TokenParams = z.object({ token: InviteToken });

function inviteBody(invite: InviteRecord): RoomInviteResponse {
  return { invite: { token: invite.token, enabled: invite.enabled } };
}

export interface InviteRouteDeps {
  repos: Repositories;
  clock: WallClock;
  /** Lifetime of a guest session (sliding, like an account's). */
  guestSessionTtlMs: number;
  /** On lookups: failures count (token guessing), per client address. */
  lookupLimiter: RequestHandler;
  /** On guest joins: every join counts, per client address [G6]. */
  joinLimiter: RequestHandler;
}

/** `/api/invites/*`: anyone holding a link sees its room's name and may join it as a guest. */
export function inviteRoutes({ repos, clock, guestSessionTtlMs, lookupLimiter, joinLimiter }: InviteRouteDeps): Router {
  const router = Router();

  async function openInvite(token: unknown) {
    const parsed = TokenParams.safeParse({ token });
    // A malformed token is as unknown as a rotated one: one answer for every dead link.
    const invite = parsed.success ? await repos.invites.findByToken(parsed.data.token) : null;
    const room = invite ? await repos.rooms.find(invite.roomCode) : null;
    if (!invite || !room) throw new ApiError("INVITE_INVALID", "this invite link is no longer valid: ask for a new one");
    return { invite, room };
  }

  router.get("/:token", lookupLimiter, async (req, res) => {
    const { invite, room } = await openInvite(req.params.token);
    const body: InviteLookupResponse = { invite: { roomName: room.name, open: invite.enabled } };
    res.set("Cache-Control", "no-store").json(body);
  });

  router.post("/:token/guest", joinLimiter, async (req, res) => {
    const { invite, room } = await openInvite(req.params.token);
    if (!invite.enabled) throw new ApiError("INVITE_DISABLED", "the room's owner turned its invite link off");
    const { displayName } = parseOr400(GuestJoinBody, req.body, "guest");
    const createdAt = new Date(clock.now());
    // Someone logged in with an account joins as itself: a guest session would log it out.
    if (req.user && !req.user.guestRoomCode) {
      await repos.participants.join(room.code, req.user.id, createdAt);
      const body: GuestJoinResponse = { user: userView(req.user), roomCode: room.code };
      res.json(body);
      return;
    }
    // The placeholder username fits the account rules but no one logs in with it (no password).
    const guest = { id: randomUUID(), username: `guest-${randomBytes(8).toString("hex")}`, displayName, passwordHash: "!", createdAt, guestRoomCode: room.code };
    if (!(await repos.users.create(guest))) throw new Error("a fresh guest id or placeholder username was taken");
    await repos.participants.join(room.code, guest.id, createdAt);
    await logIn(req, guest.id, guestSessionTtlMs);
    const body: GuestJoinResponse = { user: userView(guest), roomCode: room.code };
    res.status(201).json(body);
  });

  return router;
}

/** `/api/rooms/:code/invite*`: the room's people see its link; its owner turns it off or rotates it. */
export function roomInviteRoutes({ repos, clock, lookupLimiter }: Pick<InviteRouteDeps, "repos" | "clock" | "lookupLimiter">): Router {
  const router = Router();
  const now = () => new Date(clock.now());

  /** The room's link (made on first use), for the owner only when `ownerOnly`. */
  async function loadInvite(req: Parameters<RequestHandler>[0], ownerOnly: boolean): Promise<InviteRecord> {
    const user = currentUser(req);
    const room = await roomOfRequest(repos, req);
    if (ownerOnly) requireOwner(room, user.id);
    else if (room.ownerUserId !== user.id && !(await repos.participants.isLive(room.code, user.id))) {
      throw new ApiError("NOT_IN_ROOM", "only the room's participants and its owner can see its invite link");
    }
    const invite = await repos.invites.ensure(room.code, newToken(), now());
    if (!invite) throw new ApiError("NOT_FOUND", "no such room");
    return invite;
  }

  router.get("/:code/invite", lookupLimiter, async (req, res) => {
    res.set("Cache-Control", "no-store").json(inviteBody(await loadInvite(req, false)));
  });

  router.put("/:code/invite", lookupLimiter, async (req, res) => {
    const invite = await loadInvite(req, true);
    const { enabled } = parseOr400(SetInviteBody, req.body, "invite");
    const updated = await repos.invites.setEnabled(invite.roomCode, enabled, now());
    if (!updated) throw new ApiError("NOT_FOUND", "no such room");
    res.json(inviteBody(updated));
  });

  // The old token stops matching within this call; guests who already joined keep their sessions [G2].
  router.post("/:code/invite/rotate", lookupLimiter, async (req, res) => {
    const invite = await loadInvite(req, true);
    const rotated = await repos.invites.rotate(invite.roomCode, newToken(), now());
    if (!rotated) throw new ApiError("NOT_FOUND", "no such room");
    res.json(inviteBody(rotated));
  });

  return router;
}

/** `POST /auth/upgrade`: the guest becomes an account, same id and display name, new session. */
export function upgradeRoute({ repos, limiter }: { repos: Repositories; limiter: RequestHandler }): Router {
  const router = Router();
  router.post("/", limiter, async (req, res) => {
    const user = currentUser(req);
    if (!user.guestRoomCode) throw new ApiError("CONFLICT", "this is an account already");
    const body = parseOr400(UpgradeGuestBody, req.body, "account");
    if (!(await repos.users.upgradeGuest(user.id, body.username, await hashPassword(body.password)))) {
      throw new ApiError("USERNAME_TAKEN", "that username is taken");
    }
    // A new session id at the change of privilege, with an account's lifetime (A5).
    await logIn(req, user.id);
    const upgraded = await repos.users.findById(user.id);
    if (!upgraded) throw new ApiError("UNAUTHENTICATED", "log in first");
    res.json({ user: userView(upgraded) });
  });
  return router;
}
