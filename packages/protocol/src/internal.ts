import { z } from "zod";
import { UserId, VersionedRoomFacts } from "./primitives.js";

/**
 * Bodies of the API → sync server channel (`/internal/rooms/:code/...` on the sync server, each
 * request signed with the shared sync secret). The API owns a room's durable facts and tells the
 * live room when they change; the live room owns who hosts now.
 */

/** `PUT /internal/rooms/:code/facts`: the room's facts changed (renamed, listener control switched). */
export const RoomFactsPush = VersionedRoomFacts;
export type RoomFactsPush = z.infer<typeof RoomFactsPush>;

/** `POST /internal/rooms/:code/host`: `byUserId` (owner or host, checked live) hands hosting to `toUserId`. */
export const HostTransferRequest = z.object({ byUserId: UserId, toUserId: UserId });
export type HostTransferRequest = z.infer<typeof HostTransferRequest>;

/** `POST /internal/rooms/:code/close`: the owner deleted the room at facts version `version`. */
export const RoomCloseRequest = z.object({ version: z.number().int().min(0) });
export type RoomCloseRequest = z.infer<typeof RoomCloseRequest>;

/**
 * `POST /internal/rooms/:code/remove`: the owner `byUserId` removed `userId`, a fact the API
 * stored first (it refuses that user tickets from then on); the live room closes their sockets.
 */
export const MemberRemovalRequest = z.object({ byUserId: UserId, userId: UserId });
export type MemberRemovalRequest = z.infer<typeof MemberRemovalRequest>;

/** What the sync server answers on success: who hosts now (null when nobody is in the room). */
export const InternalRoomResponse = z.object({ hostId: UserId.nullable() });
export type InternalRoomResponse = z.infer<typeof InternalRoomResponse>;
