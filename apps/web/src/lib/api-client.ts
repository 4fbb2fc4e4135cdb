import {
  GuestJoinResponse,
  HostTransferResponse,
  InviteLookupResponse,
  OkResponse,
  RoomInviteResponse,
  ParticipantListResponse,
  RoomListResponse,
  RoomResponse,
  TicketResponse,
  TrackListResponse,
  TrackResponse,
  SessionResponse,
  UserResponse,
  type CreateRoomBody,
  type LoginBody,
  type SignupBody,
  type UpgradeGuestBody,
  type UpdateRoomBody,
} from "@sync-beats/protocol";
import { ApiError, toApiError } from "./api-error";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** A schema-like validator (zod's `safeParse` shape) for response bodies. */
interface Validator<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: unknown };
}

const roomPath = (code: string) => `/api/rooms/${encodeURIComponent(code)}`;

/**
 * Typed client for the REST API; every answer is validated with the protocol package's schemas.
 * Every call sends the session cookie (`credentials: "include"`): the API lives on another port of
 * the same site, so the SameSite=Lax cookie travels.
 */
export class ApiClient {
  constructor(readonly baseUrl: string) {}

  /** Absolute URL for an API path (`/api/tracks`); absolute URLs pass through. */
  url(path: string): string {
    return /^https?:\/\//.test(path) ? path : `${this.baseUrl}${path}`;
  }

  async request<T>(method: Method, path: string, schema: Validator<T>, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(this.url(path), {
        method,
        credentials: "include",
        headers:
          body === undefined
            ? { accept: "application/json" }
            : { "content-type": "application/json", accept: "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: "no-store",
      });
    } catch {
      throw new ApiError(0, "NETWORK", "Cannot reach the server. Is the API running?");
    }
    const text = await response.text();
    let json: unknown = null;
    if (text) {
      try {
        json = JSON.parse(text) as unknown;
      } catch {
        json = null;
      }
    }
    if (!response.ok) throw toApiError(response.status, json);
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new ApiError(response.status, "BAD_RESPONSE", `Unexpected answer from ${method} ${path}`);
    return parsed.data;
  }

  signup(body: SignupBody) {
    return this.request("POST", "/auth/signup", UserResponse, body);
  }
  login(body: LoginBody) {
    return this.request("POST", "/auth/login", UserResponse, body);
  }
  /** The logged-in user, or `user: null` for a visitor without a session (no failed request). */
  session() {
    return this.request("GET", "/auth/session", SessionResponse);
  }
  logout() {
    return this.request("POST", "/auth/logout", OkResponse);
  }

  publicRooms() {
    return this.request("GET", "/api/rooms", RoomListResponse);
  }
  myRooms() {
    return this.request("GET", "/api/rooms/mine", RoomListResponse);
  }
  createRoom(body: CreateRoomBody) {
    return this.request("POST", "/api/rooms", RoomResponse, body);
  }
  room(code: string) {
    return this.request("GET", roomPath(code), RoomResponse);
  }
  updateRoom(code: string, body: UpdateRoomBody) {
    return this.request("PATCH", roomPath(code), RoomResponse, body);
  }
  joinRoom(code: string) {
    return this.request("POST", `${roomPath(code)}/join`, RoomResponse);
  }
  leaveRoom(code: string) {
    return this.request("POST", `${roomPath(code)}/leave`, OkResponse);
  }
  participants(code: string) {
    return this.request("GET", `${roomPath(code)}/participants`, ParticipantListResponse);
  }
  transferHost(code: string, userId: string) {
    return this.request("POST", `${roomPath(code)}/host`, HostTransferResponse, { userId });
  }
  /** The owner removes a person for good: their sockets close and they get no ticket again. */
  /** Deletes a track its caller uploaded [TD1]. */
  deleteTrack(id: string) {
    return this.request("DELETE", `/api/tracks/${encodeURIComponent(id)}`, OkResponse);
  }
  removeParticipant(code: string, userId: string) {
    return this.request("DELETE", `${roomPath(code)}/participants/${encodeURIComponent(userId)}`, OkResponse);
  }
  /** A fresh single-use ticket for the sync server's `join` (fetched on every (re)connect). */
  ticket(code: string) {
    return this.request("POST", `${roomPath(code)}/ticket`, TicketResponse);
  }

  /** Guests (issue 18): the room an invite link opens, and joining it with a name only. */
  invite(token: string) {
    return this.request("GET", `/api/invites/${encodeURIComponent(token)}`, InviteLookupResponse);
  }
  joinAsGuest(token: string, displayName: string) {
    return this.request("POST", `/api/invites/${encodeURIComponent(token)}/guest`, GuestJoinResponse, { displayName });
  }
  roomInvite(code: string) {
    return this.request("GET", `${roomPath(code)}/invite`, RoomInviteResponse);
  }
  rotateInvite(code: string) {
    return this.request("POST", `${roomPath(code)}/invite/rotate`, RoomInviteResponse);
  }
  setInviteEnabled(code: string, enabled: boolean) {
    return this.request("PUT", `${roomPath(code)}/invite`, RoomInviteResponse, { enabled });
  }
  /** A guest becomes an account, keeping its display name. */
  upgrade(body: UpgradeGuestBody) {
    return this.request("POST", "/auth/upgrade", UserResponse, body);
  }

  tracks() {
    return this.request("GET", "/api/tracks", TrackListResponse);
  }
  track(id: string) {
    return this.request("GET", `/api/tracks/${encodeURIComponent(id)}`, TrackResponse);
  }
}
