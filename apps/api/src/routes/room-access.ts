import type { Request } from "express";
import { RoomCode } from "@sync-beats/protocol";
import { z } from "zod";
import { requireGuestRoom } from "../auth/guest-scope.js";
import { ApiError, parseOr400 } from "../http/errors.js";
import type { Repositories, RoomView } from "../repositories/types.js";

const CodeParams = z.object({ code: RoomCode });

/** The room named by `:code` (400 malformed, 404 unknown); a guest reaches its own room only. */
export async function roomOfRequest(repos: Repositories, req: Request): Promise<RoomView> {
  const { code } = parseOr400(CodeParams, req.params, "room code");
  requireGuestRoom(req, code);
  const room = await repos.rooms.find(code);
  if (!room) throw new ApiError("NOT_FOUND", "no such room");
  return room;
}

export function requireOwner(room: RoomView, userId: string): void {
  if (room.ownerUserId !== userId) throw new ApiError("NOT_OWNER", "only the room's owner can do this");
}
