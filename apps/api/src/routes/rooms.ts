import { Router, type Request, type RequestHandler } from "express";
import {
  CreateRoomBody,
  UserId,
  type HostTransferResponse,
  TransferHostBody,
  TransferOwnershipBody,
  UpdateRoomBody,
  type TicketResponse,
} from "@sync-beats/protocol";
import { DEFAULT_TICKET_TTL_MS, signTicket } from "@sync-beats/ticket";
import { z } from "zod";
import { currentUser } from "../auth/session.js";
import type { WallClock } from "../wall-clock.js";
import { ApiError, parseOr400 } from "../http/errors.js";
import type { LiveRooms } from "../live-rooms.js";
import { nextFactsVersion, type Repositories } from "../repositories/types.js";
import { generateRoomCode } from "../rooms/room-codes.js";
import { refuseGuests } from "../auth/guest-scope.js";
import { roomOfRequest, requireOwner } from "./room-access.js";
import { liveFactsOf, participantView, roomView, viewerOf } from "../views.js";

export interface RoomRouteDeps {
  repos: Repositories;
  clock: WallClock;
  syncSecret: string;
  syncPublicUrl: string | null;
  liveRooms: LiveRooms;
  /** On every by-code route: limits code guessing per client address. */
  lookupLimiter: RequestHandler;
  /** On room creation: limits rooms per user. */
  createLimiter: RequestHandler;
}

const ParticipantParams = z.object({ userId: UserId });

const ListQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(50) });

/**
 * `/api/rooms/*`. Reading a room needs only its code (the code is the invitation); who is in it
 * only its participants and owner; changing anything needs a session.
 */
export function roomRoutes({ repos, clock, syncSecret, syncPublicUrl, lookupLimiter, createLimiter, liveRooms }: RoomRouteDeps): Router {
  const router = Router();
  const now = () => new Date(clock.now());

  const loadRoom = (req: Request) => roomOfRequest(repos, req);

  /** A user the owner removed gets no ticket and cannot rejoin, however long ago the live room went [RM18]. */
  async function refuseRemoved(code: string, userId: string): Promise<void> {
    if (await repos.participants.isRemoved(code, userId)) throw new ApiError("REMOVED", "the room's owner removed you from this room");
  }

  async function roomResponse(code: string, userId: string | undefined) {
    const room = await repos.rooms.find(code);
    if (!room) throw new ApiError("NOT_FOUND", "no such room");
    const isParticipant = userId !== undefined && (await repos.participants.isLive(code, userId));
    return { room: roomView(room), viewer: viewerOf(room, userId, isParticipant) };
  }

  router.get("/", refuseGuests, async (req, res) => {
    const { limit } = parseOr400(ListQuery, req.query, "query");
    res.json({ rooms: (await repos.rooms.listPublic(limit)).map(roomView) });
  });

  router.get("/mine", refuseGuests, async (req, res) => {
    const user = currentUser(req);
    const { limit } = parseOr400(ListQuery, req.query, "query");
    res.json({ rooms: (await repos.rooms.listForUser(user.id, limit)).map(roomView) });
  });

  router.post("/", refuseGuests, createLimiter, async (req, res) => {
    const user = currentUser(req);
    const body = parseOr400(CreateRoomBody, req.body, "room");
    // 31^6 codes: a clash is rare, several in a row means something else is wrong.
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const code = generateRoomCode();
      const createdAt = now();
      if (await repos.rooms.create({ code, ...body, ownerUserId: user.id, createdAt, factsVersion: createdAt.getTime() })) {
        res.status(201).json(await roomResponse(code, user.id));
        return;
      }
    }
    throw new Error("could not find a free room code in 5 attempts");
  });

  router.get("/:code", lookupLimiter, async (req, res) => {
    const room = await loadRoom(req);
    res.json(await roomResponse(room.code, req.user?.id));
  });

  router.patch("/:code", lookupLimiter, async (req, res) => {
    const user = currentUser(req);
    const room = await loadRoom(req);
    requireOwner(room, user.id);
    const patch = parseOr400(UpdateRoomBody, req.body, "room update");
    await repos.rooms.update(room.code, { ...patch, factsVersion: nextFactsVersion(room.factsVersion, clock.now()) });
    const response = await roomResponse(room.code, user.id);
    // The database owns the facts; the live room is told, so open sockets follow within the call [RM15].
    await pushFacts(room.code);
    res.json(response);
  });

  router.delete("/:code", lookupLimiter, async (req, res) => {
    const user = currentUser(req);
    const room = await loadRoom(req);
    requireOwner(room, user.id);
    await repos.rooms.delete(room.code);
    await liveRooms.close(room.code, nextFactsVersion(room.factsVersion, clock.now()));
    res.json({ ok: true });
  });

  async function pushFacts(code: string): Promise<void> {
    const room = await repos.rooms.find(code);
    if (room) await liveRooms.pushFacts(code, liveFactsOf(room));
  }

  router.post("/:code/join", lookupLimiter, async (req, res) => {
    const user = currentUser(req);
    const room = await loadRoom(req);
    await refuseRemoved(room.code, user.id);
    await repos.participants.join(room.code, user.id, now());
    res.json(await roomResponse(room.code, user.id));
  });

  router.post("/:code/leave", lookupLimiter, async (req, res) => {
    const user = currentUser(req);
    const room = await loadRoom(req);
    // Leaving is idempotent; the owner stays owner (hand the room over first to give it up).
    await repos.participants.leave(room.code, user.id, now());
    res.json({ ok: true });
  });

  router.get("/:code/participants", lookupLimiter, async (req, res) => {
    const user = currentUser(req);
    const room = await loadRoom(req);
    // 403, not 404: the room's existence is no secret from whoever holds its code (GET /:code
    // shows it), only its people are.
    if (room.ownerUserId !== user.id && !(await repos.participants.isLive(room.code, user.id))) {
      throw new ApiError("NOT_IN_ROOM", "only the room's participants and its owner can see who is in it");
    }
    const live = await repos.participants.listLive(room.code);
    const participants = live.map((p) => participantView(room, p));
    participants.sort((a, b) => Number(b.role === "owner") - Number(a.role === "owner"));
    res.json({ participants });
  });

  // The removal is the API's fact (the participants table), stored before the live room is told:
  // a room dropped from memory and made again later still keeps the person out [RM18].
  router.delete("/:code/participants/:userId", lookupLimiter, async (req, res) => {
    const user = currentUser(req);
    const room = await loadRoom(req);
    requireOwner(room, user.id);
    const { userId } = parseOr400(ParticipantParams, { userId: req.params.userId }, "participant");
    if (userId === user.id) throw new ApiError("BAD_REQUEST", "the owner cannot remove themselves");
    if ((await repos.participants.remove(room.code, userId, now())) === "unknown") throw new ApiError("NOT_PARTICIPANT", "that user never joined this room");
    await liveRooms.removeMember(room.code, user.id, userId);
    res.json({ ok: true });
  });

  // Who hosts is the live room's fact: the sync server checks the caller (owner or host) and the
  // new host (in the room now) and answers at once [RM16].
  router.post("/:code/host", lookupLimiter, async (req, res) => {
    const user = currentUser(req);
    const room = await loadRoom(req);
    const { userId } = parseOr400(TransferHostBody, req.body, "host transfer");
    const body: HostTransferResponse = await liveRooms.transferHost(room.code, user.id, userId);
    res.json(body);
  });

  router.post("/:code/owner", lookupLimiter, async (req, res) => {
    const user = currentUser(req);
    const room = await loadRoom(req);
    requireOwner(room, user.id);
    const { userId } = parseOr400(TransferOwnershipBody, req.body, "ownership transfer");
    if (userId !== user.id) {
      if (!(await repos.participants.isLive(room.code, userId))) {
        throw new ApiError("NOT_PARTICIPANT", "the new owner must be in the room");
      }
      if ((await repos.users.findById(userId))?.guestRoomCode) throw new ApiError("GUEST_NOT_ALLOWED", "a guest cannot own a room");
      if (!(await repos.rooms.transferOwnership(room.code, user.id, userId, nextFactsVersion(room.factsVersion, clock.now())))) {
        throw new ApiError("CONFLICT", "the owner changed meanwhile");
      }
      await pushFacts(room.code);
    }
    res.json(await roomResponse(room.code, user.id));
  });

  router.post("/:code/ticket", lookupLimiter, async (req, res) => {
    const user = currentUser(req);
    const room = await loadRoom(req);
    await refuseRemoved(room.code, user.id);
    await repos.participants.join(room.code, user.id, now());
    // The ticket says who joins and carries the room's facts, versioned: a live room that missed a
    // push (or was restarted) catches up from the next join [RM5].
    const issuedAt = clock.now();
    const exp = Math.floor(issuedAt) + DEFAULT_TICKET_TTL_MS;
    // A guest's ticket says so: the live room lists it as a guest [G4].
    const guest = user.guestRoomCode ? { guest: true } : {};
    const ticket = signTicket({ userId: user.id, name: user.displayName, roomCode: room.code, room: liveFactsOf(room), exp, ...guest }, syncSecret, issuedAt);
    const body: TicketResponse = syncPublicUrl ? { ticket, expiresAt: exp, syncUrl: syncPublicUrl } : { ticket, expiresAt: exp };
    res.set("Cache-Control", "no-store").json(body);
  });

  return router;
}
