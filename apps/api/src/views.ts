/** Records to REST bodies (the shapes of @sync-beats/protocol's rest.ts). */
import type { Room, RoomParticipant, RoomViewer, Track, User, VersionedRoomFacts } from "@sync-beats/protocol";
import type { NewUser, ParticipantView, RoomView, TrackRecord } from "./repositories/types.js";

export function userView(user: NewUser): User {
  const view: User = { id: user.id, username: user.username, displayName: user.displayName, createdAt: user.createdAt.toISOString() };
  return user.guestRoomCode ? { ...view, guest: { roomCode: user.guestRoomCode } } : view;
}

export function roomView(room: RoomView): Room {
  return {
    code: room.code,
    name: room.name,
    isPublic: room.isPublic,
    listenersCanControl: room.listenersCanControl,
    queueAddPolicy: room.queueAddPolicy,
    owner: { userId: room.ownerUserId, displayName: room.ownerDisplayName },
    participantCount: room.participantCount,
    createdAt: room.createdAt.toISOString(),
  };
}

/** The facts a live room follows, as this database holds them now. */
export function liveFactsOf(room: RoomView): VersionedRoomFacts {
  return {
    name: room.name,
    ownerId: room.ownerUserId,
    listenersCanControl: room.listenersCanControl,
    queueAddPolicy: room.queueAddPolicy,
    version: room.factsVersion,
  };
}

export function viewerOf(room: RoomView, userId: string | undefined, isParticipant: boolean): RoomViewer | null {
  if (userId === undefined) return null;
  const isOwner = room.ownerUserId === userId;
  return { isParticipant, isOwner };
}

export function participantView(room: RoomView, p: ParticipantView): RoomParticipant {
  return {
    userId: p.userId,
    displayName: p.displayName,
    role: p.userId === room.ownerUserId ? "owner" : p.isGuest ? "guest" : "listener",
    joinedAt: p.joinedAt.toISOString(),
  };
}

/**
 * `baseUrl` is the API's public origin: audio URLs must be absolute for the sync `PLAY` message.
 * `grant` signs the track as shown for the sync server's queue (see `tracks/track-grant.ts`).
 */
export function trackView(track: TrackRecord, baseUrl: string, grant: (track: Omit<Track, "queueGrant">) => string): Track {
  const view = {
    id: track.id,
    title: track.title,
    artist: track.artist,
    durationMs: track.durationMs,
    mimeType: track.mimeType,
    sizeBytes: track.sizeBytes,
    audioUrl: `${baseUrl}/api/tracks/${encodeURIComponent(track.id)}/audio`,
    ownerUserId: track.ownerUserId,
    isDemo: track.isDemo,
    createdAt: track.createdAt.toISOString(),
  };
  return { ...view, queueGrant: grant(view) };
}
