import { z } from "zod";
import { DisplayName, QueueAddPolicy, RoomCode, UserId } from "./primitives.js";

/*
 * REST contract of the API server (apps/api, default http://localhost:5001).
 *
 * Request bodies export `z.input` types (what a client sends: defaults may be omitted); response
 * bodies export `z.infer` types (what a client receives). Timestamps are ISO-8601 strings, except
 * `expiresAt` on a ticket, which is Unix milliseconds like the ticket's own `exp`.
 *
 * Vocabulary: the room's **owner** owns the room record (settings, transfer); a **listener** is
 * any other participant. Who is **host** (controls playback now) is the sync server's live state,
 * not a REST field.
 *
 * Routes (cookie session; the browser must send `credentials: "include"`):
 *   POST /auth/signup              SignupBody      -> 201 UserResponse (and logs in)
 *   POST /auth/login               LoginBody       -> 200 UserResponse
 *   GET  /auth/dashboard                           -> 200 UserResponse | 401
 *   GET  /auth/session                             -> 200 SessionResponse (user null when signed out)
 *   POST /auth/logout (GET too, not cross-site)    -> 200 OkResponse
 *   GET  /api/rooms                                -> 200 RoomListResponse (public rooms, anyone)
 *   GET  /api/rooms/mine                           -> 200 RoomListResponse (rooms I own or am in)
 *   POST /api/rooms                CreateRoomBody  -> 201 RoomResponse
 *   GET  /api/rooms/:code                          -> 200 RoomResponse (anyone who knows the code)
 *   PATCH /api/rooms/:code         UpdateRoomBody  -> 200 RoomResponse (owner only)
 *   POST /api/rooms/:code/join                     -> 200 RoomResponse
 *   POST /api/rooms/:code/leave                    -> 200 OkResponse
 *   GET  /api/rooms/:code/participants             -> 200 ParticipantListResponse (its participants and owner)
 *   DELETE /api/rooms/:code                        -> 200 OkResponse (owner only; live sockets are closed)
 *   DELETE /api/rooms/:code/participants/:userId   -> 200 OkResponse (owner only; the user is out for good, 403 REMOVED after)
 *   POST /api/rooms/:code/host     TransferHostBody -> 200 HostTransferResponse (owner or host; live)
 *   POST /api/rooms/:code/owner    TransferOwnershipBody -> 200 RoomResponse (owner only)
 *   POST /api/rooms/:code/ticket                   -> 200 TicketResponse (joins if needed)
 *   GET  /api/tracks                               -> 200 TrackListResponse (demo + my uploads)
 *   POST /api/tracks    multipart field "file"     -> 201 TrackResponse
 *   GET  /api/tracks/:id                           -> 200 TrackResponse
 *   GET  /api/tracks/:id/audio                     -> 200/206 audio bytes (Range, CORS, no login)
 *   GET  /healthz                                  -> 200 HealthResponse
 *   Guests and invite links (issue 18): see rest-guests.ts.
 * Every failure is an {@link ApiErrorBody}.
 */

const Timestamp = z.iso.datetime({ offset: true });

/** Machine-readable reasons in an {@link ApiErrorBody}; the HTTP status carries the class. */
export const ApiErrorCode = z.enum([
  /**
   * 400 (or a 4xx without a code of its own): the request itself is malformed: a path that does
   * not decode, a body whose `Content-Encoding` does not match its bytes.
   */
  "BAD_REQUEST",
  /** 400: a body, parameter or query failed validation (see `issues`). */
  "VALIDATION_FAILED",
  /** 401: no session, or the session expired. */
  "UNAUTHENTICATED",
  /** 401: unknown username or wrong password (deliberately indistinguishable). */
  "INVALID_CREDENTIALS",
  /** 403: the request's `Origin` is not the web app's (CSRF guard). */
  "BAD_ORIGIN",
  /** 403: only the room's owner may do this. */
  "NOT_OWNER",
  /** 403: only the room's owner or its current host (a live fact) may hand hosting over. */
  "NOT_HOST",
  /** 403: only the room's participants and its owner may see this (who is in the room). */
  "NOT_IN_ROOM",
  /** 404: no such room, track or route. */
  "NOT_FOUND",
  /** 409: the username is already registered. */
  "USERNAME_TAKEN",
  /** 409: the target user is not a current participant of the room. */
  "NOT_PARTICIPANT",
  /** 409: any other state conflict. */
  "CONFLICT",
  /** 413: the upload exceeds the size limit. */
  "PAYLOAD_TOO_LARGE",
  /** 415: the upload is not a recognised audio file. */
  "UNSUPPORTED_MEDIA_TYPE",
  /** 416: the `Range` header cannot be satisfied. */
  "RANGE_NOT_SATISFIABLE",
  /** 429: too many attempts (login, room code lookups, room creation); retry after the `Retry-After` header. */
  "RATE_LIMITED",
  /** 403: a guest (no account) may not do this, or not in this room (issue 18, rest-guests.ts). */
  "GUEST_NOT_ALLOWED",
  /** 404: the invite link is unknown or was rotated (replaced by a new one). */
  "INVITE_INVALID",
  /** 403: the room's owner turned its invite link off. */
  "INVITE_DISABLED",
  /** 403: the room's owner removed this user from the room; no ticket, no rejoin (issue 18). */
  "REMOVED",
  /** 500: a bug on our side; details are in the server log only. */
  "INTERNAL",
  /** 503: the database is unreachable for now; retry after the `Retry-After` header. */
  "UNAVAILABLE",
]);
export type ApiErrorCode = z.infer<typeof ApiErrorCode>;

/** One validation problem: where (`path`, e.g. "name") and what. */
export const ApiIssue = z.object({ path: z.string(), message: z.string() });
export type ApiIssue = z.infer<typeof ApiIssue>;

/** The body of every non-2xx JSON response. Never contains stack traces or SQL. */
export const ApiErrorBody = z.object({
  error: z.object({
    code: ApiErrorCode,
    message: z.string(),
    issues: z.array(ApiIssue).optional(),
  }),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;

/** `{ ok: true }`: for actions with nothing else to say (logout, leave). */
export const OkResponse = z.object({ ok: z.literal(true) });
export type OkResponse = z.infer<typeof OkResponse>;

/** `GET /healthz`. */
export const HealthResponse = z.object({ ok: z.literal(true), db: z.enum(["sqlite", "postgres"]) });
export type HealthResponse = z.infer<typeof HealthResponse>;

/**
 * Single-line display text: no control characters (NUL, newlines, …) and no unpaired UTF-16
 * surrogates. PostgreSQL refuses NUL in text, and names are shown on one line.
 */
export const SingleLineText = z
  .string()
  .refine((value) => !/[\p{Cc}\p{Cs}]/u.test(value), { message: "must not contain control characters" });

/** Login name: 3-32 of a-z, 0-9, `_`, `.`, `-`; case-insensitive (stored lower-cased). */
export const Username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9_.-]{3,32}$/, "username must be 3-32 letters, digits, '_', '.' or '-'");
export type Username = z.infer<typeof Username>;

/** Password: 8-200 characters, anything goes. */
export const Password = z.string().min(8, "password must be at least 8 characters").max(200);

/** `POST /auth/signup`. `displayName` defaults to the username. */
export const SignupBody = z.object({
  username: Username,
  password: Password,
  displayName: DisplayName.pipe(SingleLineText).optional(),
});
export type SignupBody = z.input<typeof SignupBody>;

/** `POST /auth/login`. Only length is checked, so a bad username is just "invalid credentials". */
export const LoginBody = z.object({
  username: z.string().trim().toLowerCase().min(1).max(64),
  password: z.string().min(1).max(200),
});
export type LoginBody = z.input<typeof LoginBody>;

/** A user account as the API shows it (never a password hash). `id` doubles as the sync `userId`. */
export const User = z.object({
  id: UserId,
  username: Username,
  displayName: DisplayName,
  createdAt: Timestamp,
  /**
   * Present for a guest only (no account, issue 18): the one room it may use. A guest's
   * `username` is a generated placeholder until it becomes an account (rest-guests.ts).
   */
  guest: z.object({ roomCode: RoomCode }).optional(),
});
export type User = z.infer<typeof User>;

/** Response of signup, login and `GET /auth/dashboard`. */
export const UserResponse = z.object({ user: User });
export type UserResponse = z.infer<typeof UserResponse>;

/** `GET /auth/session`: the logged-in user, or null for a visitor without a session. */
export const SessionResponse = z.object({ user: User.nullable() });
export type SessionResponse = z.infer<typeof SessionResponse>;

/** Room name shown in lists. */
export const RoomName = z.string().trim().min(1).max(80).pipe(SingleLineText);

/**
 * A room. `participantCount` counts participants that have joined (via join or ticket) and not
 * left: the API's view of presence, not live socket connections.
 */
export const Room = z.object({
  code: RoomCode,
  name: RoomName,
  isPublic: z.boolean(),
  listenersCanControl: z.boolean(),
  /** Who may add to the room's queue [Q3]. */
  queueAddPolicy: QueueAddPolicy,
  owner: z.object({ userId: UserId, displayName: DisplayName }),
  participantCount: z.number().int().min(0),
  createdAt: Timestamp,
});
export type Room = z.infer<typeof Room>;

/**
 * The caller's relation to the room record (`null` in {@link RoomResponse} when not logged in).
 * Who may control playback is the live room's to say (`joined.role`, `room.listenersCanControl`).
 */
export const RoomViewer = z.object({
  isParticipant: z.boolean(),
  isOwner: z.boolean(),
});
export type RoomViewer = z.infer<typeof RoomViewer>;

/** One room plus the caller's relation to it. */
export const RoomResponse = z.object({ room: Room, viewer: RoomViewer.nullable() });
export type RoomResponse = z.infer<typeof RoomResponse>;

/** `GET /api/rooms` (public rooms, most recent first) and `GET /api/rooms/mine`. */
export const RoomListResponse = z.object({ rooms: z.array(Room) });
export type RoomListResponse = z.infer<typeof RoomListResponse>;

/** `POST /api/rooms`. The creator becomes owner and first participant. */
export const CreateRoomBody = z.object({
  name: RoomName,
  isPublic: z.boolean().default(true),
  listenersCanControl: z.boolean().default(false),
});
export type CreateRoomBody = z.input<typeof CreateRoomBody>;

/** `PATCH /api/rooms/:code` (owner only): at least one field. */
export const UpdateRoomBody = z
  .object({
    name: RoomName.optional(),
    isPublic: z.boolean().optional(),
    listenersCanControl: z.boolean().optional(),
    queueAddPolicy: QueueAddPolicy.optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: "nothing to update" });
export type UpdateRoomBody = z.input<typeof UpdateRoomBody>;

/**
 * `POST /api/rooms/:code/host` (the owner or the current host): hand playback control to someone
 * in the live room now. The sync server owns who hosts; the API forwards and answers its result.
 */
export const TransferHostBody = z.object({ userId: UserId });
export type TransferHostBody = z.input<typeof TransferHostBody>;

/** What a host transfer answers: who hosts now. */
export const HostTransferResponse = z.object({ hostId: UserId.nullable() });
export type HostTransferResponse = z.infer<typeof HostTransferResponse>;

/** `POST /api/rooms/:code/owner` (owner only): hand the room record to a participant. */
export const TransferOwnershipBody = z.object({ userId: UserId });
export type TransferOwnershipBody = z.input<typeof TransferOwnershipBody>;

/** A current participant of a room (named `RoomParticipant` to keep the wire `Participant` apart). */
export const RoomParticipant = z.object({
  userId: UserId,
  displayName: DisplayName,
  /** `guest`: joined through an invite link without an account (issue 18); never the owner. */
  role: z.enum(["owner", "listener", "guest"]),
  joinedAt: Timestamp,
});
export type RoomParticipant = z.infer<typeof RoomParticipant>;

/** `GET /api/rooms/:code/participants`: owner first, then by join time. */
export const ParticipantListResponse = z.object({ participants: z.array(RoomParticipant) });
export type ParticipantListResponse = z.infer<typeof ParticipantListResponse>;

/**
 * `POST /api/rooms/:code/ticket`: a single-use join ticket for the sync server's `join` message.
 * `expiresAt` is Unix milliseconds; `syncUrl` is the WebSocket URL to open when the API knows it.
 */
export const TicketResponse = z.object({
  ticket: z.string().min(1),
  expiresAt: z.number().int().positive(),
  syncUrl: z.string().optional(),
});
export type TicketResponse = z.infer<typeof TicketResponse>;

/** Track ids: server-generated, URL-safe. Demo tracks have stable ids such as `demo-timecode`. */
export const TrackId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "invalid track id");
export type TrackId = z.infer<typeof TrackId>;

/**
 * A track in the library. `audioUrl` is absolute (the API's origin) so it can go straight into a
 * sync `PLAY` message as {@link TrackInfo}`.audioUrl`, with `durationMs` as its `duration`.
 */
export const Track = z.object({
  id: TrackId,
  title: z.string().max(200),
  artist: z.string().max(200).nullable(),
  durationMs: z.number().finite().positive(),
  mimeType: z.string(),
  sizeBytes: z.number().int().positive(),
  audioUrl: z.url(),
  ownerUserId: UserId,
  isDemo: z.boolean(),
  createdAt: Timestamp,
  /** The API's signed statement of this track, sent in `queue_add` to queue it [Q2]. */
  queueGrant: z.string().min(1).max(2048),
});
export type Track = z.infer<typeof Track>;

/** `GET /api/tracks/:id` and `POST /api/tracks`. */
export const TrackResponse = z.object({ track: Track });
export type TrackResponse = z.infer<typeof TrackResponse>;

/** `GET /api/tracks`: demo tracks first, then the caller's uploads, newest first. */
export const TrackListResponse = z.object({ tracks: z.array(Track) });
export type TrackListResponse = z.infer<typeof TrackListResponse>;
