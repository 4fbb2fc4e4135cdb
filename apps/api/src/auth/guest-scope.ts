import type { Request, RequestHandler } from "express";
import { ApiError } from "../http/errors.js";

/**
 * What a guest session (issue 18) may reach: its own room's by-code routes, the track list, the
 * upgrade into an account. Everything else refuses it here, before any lookup.
 */

/** On routes no guest may use (uploads, creating or listing rooms) [G5]. */
export const refuseGuests: RequestHandler = (req, _res, next) => {
  if (req.user?.guestRoomCode) throw new ApiError("GUEST_NOT_ALLOWED", "guests cannot do this: create an account first");
  next();
};

/** On by-code routes: a guest may use its own room only, whether or not another code exists [G1]. */
export function requireGuestRoom(req: Request, code: string): void {
  const guestRoom = req.user?.guestRoomCode;
  if (guestRoom && guestRoom !== code) throw new ApiError("GUEST_NOT_ALLOWED", "a guest can only use the room it was invited to");
}
