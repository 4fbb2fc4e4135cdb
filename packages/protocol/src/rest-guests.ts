import { z } from "zod";
import { DisplayName, RoomCode } from "./primitives.js";
import { Password, RoomName, SingleLineText, User, Username } from "./rest.js";

/*
 * Guests and invite links (issue 18). A **guest** is a person without an account who joined one
 * room through its invite link with a display name only: a guest session (cookie `sb.sid`, DB-backed,
 * expiring) scoped to that room. A guest may take tickets for its room and do there what any
 * listener may; anything else answers 403 `GUEST_NOT_ALLOWED` (uploads, creating or listing rooms,
 * any other room). A guest can become an account, keeping its id and display name.
 *
 * Routes:
 *   GET  /api/invites/:token                          -> 200 InviteLookupResponse (anyone)
 *   POST /api/invites/:token/guest  GuestJoinBody     -> 201 GuestJoinResponse (sets the guest session;
 *                                                         200 and no new session for a logged-in account, which joins as itself)
 *   GET  /api/rooms/:code/invite                      -> 200 RoomInviteResponse (participants and owner)
 *   PUT  /api/rooms/:code/invite    SetInviteBody     -> 200 RoomInviteResponse (owner only)
 *   POST /api/rooms/:code/invite/rotate               -> 200 RoomInviteResponse (owner only)
 *   POST /auth/upgrade              UpgradeGuestBody  -> 200 UserResponse (guest session only)
 */

/** The secret of an invite link: 128 random bits, base64url (22 characters). */
export const InviteToken = z.string().regex(/^[A-Za-z0-9_-]{22,64}$/, "invalid invite link");
export type InviteToken = z.infer<typeof InviteToken>;

/** `GET /api/invites/:token`: which room the link opens, and whether it is open (not turned off). */
export const InviteLookupResponse = z.object({ invite: z.object({ roomName: RoomName, open: z.boolean() }) });
export type InviteLookupResponse = z.infer<typeof InviteLookupResponse>;

/** `POST /api/invites/:token/guest`: the guest's display name, shown to the room. */
export const GuestJoinBody = z.object({ displayName: DisplayName.pipe(SingleLineText) }).strict();
export type GuestJoinBody = z.input<typeof GuestJoinBody>;

/** The guest joined: who it is (a {@link User} with `guest`) and the room to open. */
export const GuestJoinResponse = z.object({ user: User, roomCode: RoomCode });
export type GuestJoinResponse = z.infer<typeof GuestJoinResponse>;

/** A room's invite link as its members see it; the link is `<web origin>/join/<token>`. */
export const RoomInvite = z.object({ token: InviteToken, enabled: z.boolean() });
export type RoomInvite = z.infer<typeof RoomInvite>;

/** Answer of the `/api/rooms/:code/invite` routes. */
export const RoomInviteResponse = z.object({ invite: RoomInvite });
export type RoomInviteResponse = z.infer<typeof RoomInviteResponse>;

/** `PUT /api/rooms/:code/invite` (owner only): turn the link on or off (its token is kept). */
export const SetInviteBody = z.object({ enabled: z.boolean() }).strict();
export type SetInviteBody = z.input<typeof SetInviteBody>;

/** `POST /auth/upgrade`: a guest becomes an account with this login, keeping its display name. */
export const UpgradeGuestBody = z.object({ username: Username, password: Password }).strict();
export type UpgradeGuestBody = z.input<typeof UpgradeGuestBody>;
