"use client";

import type { RoomResponse, Track, UpdateRoomBody } from "@sync-beats/protocol";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useMemo, useState } from "react";
import { errorMessage } from "@/lib/api-error";
import { useApi } from "@/lib/config-context";
import { useSession } from "@/lib/session";
import { nextTrack, toTrackInfo } from "@/lib/track-info";
import { useDocumentTitle } from "@/lib/use-document-title";
import { useMediaSession } from "@/lib/use-media-session";
import { useResource } from "@/lib/use-resource";
import { useSyncPlayback } from "@/lib/use-sync-playback";
import { AudioUnlockOverlay } from "./audio-unlock-overlay";
import { ChatPanel } from "./chat-panel";
import { CalibrationPanel } from "./calibration-panel";
import { ConnectionStatus } from "./connection-status";
import { DebugPanel } from "./debug-panel";
import { LatencySettings } from "./latency-settings";
import { NowPlaying } from "./now-playing";
import { ParticipantList } from "./participant-list";
import { QueuePanel } from "./queue-panel";
import { ReactionBar } from "./reaction-bar";
import { RemovedFromRoom } from "./removed-from-room";
import { RemoveMemberButton } from "./remove-member-button";
import { RoomSettings } from "./room-settings";
import { ShareCard } from "./share-card";
import { TrackPicker } from "./track-picker";

/**
 * Looks the room up once while the room view (and its sync engine) starts in parallel; an unknown
 * code replaces the view, which also stops its engine. What changes later (name, owner, who may
 * control, who is here) comes live from the sync server through the engine's snapshot.
 */
export function RoomScreen({ code }: { code: string }) {
  const api = useApi();
  const room = useResource(() => api.room(code));
  if (room.error !== null && room.data === null) {
    return (
      <main className="page narrow" data-testid="room-not-found">
        <h1>Room not found</h1>
        <p className="error" role="alert">
          {room.error}
        </p>
        <Link href="/dashboard">Back to the dashboard</Link>
      </main>
    );
  }
  const saveSettings = async (patch: UpdateRoomBody) => room.replace(await api.updateRoom(code, patch));
  return <RoomView code={code} room={room.data} saveSettings={saveSettings} />;
}

function RoomView({
  code,
  room,
  saveSettings,
}: {
  code: string;
  room: RoomResponse | null;
  saveSettings: (patch: UpdateRoomBody) => Promise<void>;
}) {
  const api = useApi();
  const router = useRouter();
  const { user } = useSession();
  const tracks = useResource(() => api.tracks());
  const [notice, setNotice] = useState<string | null>(null);
  const [debugOpen, setDebugOpen] = useState(false);
  const [copied, setCopied] = useState(false);

  const sync = useSyncPlayback(code, { onError: (error) => setNotice(error.message) });
  const { snapshot } = sync;
  // Live facts once joined; the REST answer until then.
  const live = snapshot.room;
  const isRoomOwner = live ? live.facts.ownerId === live.userId : (room?.viewer?.isOwner ?? false);
  const roomName = live?.facts.name ?? room?.room.name ?? null;
  const listenersCanControl = live?.facts.listenersCanControl ?? room?.room.listenersCanControl ?? false;
  const canControl = snapshot.canControl;
  useDocumentTitle(roomName ? `${roomName} · Sync Beats` : null);
  const library = tracks.data?.tracks ?? null;
  const currentTrackId = snapshot.track?.trackId;
  const upNext = useMemo(() => nextTrack(library ?? [], currentTrackId), [library, currentTrackId]);

  // The API owns the removal [RM18]: it stores it, then the live room closes the person's sockets.
  const removeParticipant = (userId: string) => void api.removeParticipant(code, userId).catch((e: unknown) => setNotice(errorMessage(e)));
  const pick = useCallback(
    (track: Track) => {
      // A click is a gesture: unlock first (synchronously) so the host's own device can play.
      void sync.unlockAudio();
      if (snapshot.track) sync.trackChange(toTrackInfo(track));
      else sync.play(toTrackInfo(track));
    },
    [sync, snapshot.track],
  );

  const transport = useMemo(
    () => ({
      pause: sync.pause,
      resume: () => {
        void sync.unlockAudio();
        sync.resume();
      },
      seek: sync.seek,
      next: () => {
        if (upNext) pick(upNext);
      },
    }),
    [sync, upNext, pick],
  );

  useMediaSession({ snapshot, roomName, getPositionMs: sync.getPositionMs, controls: transport });

  async function copyInvite() {
    try {
      await navigator.clipboard.writeText(`${window.location.origin}/dashboard/room/${code}`);
      setCopied(true);
      setTimeout(() => setCopied(false), 2_000);
    } catch {
      setNotice(`Share this code: ${code}`);
    }
  }

  async function leave() {
    await api.leaveRoom(code).catch(() => undefined);
    router.push(user.guest ? "/" : "/dashboard");
  }

  const joined = snapshot.connection.status === "joined";
  // A joiner by code becomes a participant at its first ticket, so the invite (participants and
  // owner only) is asked for once the first join is done; the owner may see it at once.
  const [joinedOnce, setJoinedOnce] = useState(false);
  if (joined && !joinedOnce) setJoinedOnce(true);
  const showUnlock = joined && snapshot.audio !== "running";

  if (snapshot.connection.status === "closed" && snapshot.connection.reason === "removed") return <RemovedFromRoom />;

  if (snapshot.roomClosed) {
    return (
      <main className="page narrow" data-testid="room-deleted">
        <h1>Room deleted</h1>
        <p className="muted">The music stopped: {snapshot.roomClosed.reason}.</p>
        <Link href="/dashboard">Back to the dashboard</Link>
      </main>
    );
  }

  return (
    <main className="page" data-testid="room-page" data-room-code={code}>
      <div className="room-header">
        <div style={{ minWidth: 0 }}>
          <h1 data-testid="room-name">{roomName ?? "Loading room…"}</h1>
          <div className="row muted small">
            <span>
              Code <span className="code" data-testid="room-code">{code}</span>
            </span>
            <ConnectionStatus state={snapshot.connection} />
            {snapshot.isHost && <span className="badge host">you are host</span>}
          </div>
        </div>
        <div className="row">
          <button type="button" className="secondary small" onClick={() => void copyInvite()}>
            {copied ? "Link copied" : "Copy invite link"}
          </button>
          <button
            type="button"
            className="secondary small"
            aria-pressed={debugOpen}
            onClick={() => setDebugOpen((open) => !open)}
            data-testid="debug-toggle"
          >
            {debugOpen ? "Hide debug" : "Debug"}
          </button>
          <button type="button" className="ghost small" onClick={() => void leave()}>
            Leave
          </button>
        </div>
      </div>

      {notice && (
        <p className="error" role="alert" data-testid="room-notice" onClick={() => setNotice(null)}>
          {notice}
        </p>
      )}

      <div className="grid room">
        <div className="stack">
          <NowPlaying
            snapshot={snapshot}
            getPositionMs={sync.getPositionMs}
            canControl={canControl}
            canGoNext={upNext !== null}
            actions={transport}
          />
          <QueuePanel snapshot={snapshot} library={library} send={sync.queue} saveSettings={saveSettings} />
          {debugOpen && <DebugPanel snapshot={snapshot} />}
          <TrackPicker tracks={library} currentTrackId={currentTrackId} canControl={canControl} onPick={pick} />
        </div>
        <div className="stack">
          <ParticipantList
            participants={snapshot.participants}
            selfId={snapshot.room?.userId ?? user.id}
            onMakeHost={isRoomOwner ? (userId) => void api.transferHost(code, userId).catch((e: unknown) => setNotice(errorMessage(e))) : undefined}
            actions={(p) => isRoomOwner && p.userId !== snapshot.room?.userId && <RemoveMemberButton userId={p.userId} name={p.name} onRemove={removeParticipant} />}
          />
          <ShareCard code={code} isOwner={isRoomOwner} canSeeInvite={isRoomOwner || joinedOnce} />
          <ReactionBar feed={sync.chat} disabled={!joined} />
          <ChatPanel feed={sync.chat} isOwner={isRoomOwner} disabled={!joined} />
          {isRoomOwner && <RoomSettings listenersCanControl={listenersCanControl} save={saveSettings} />}
          <CalibrationPanel snapshot={snapshot} calibration={sync.calibration} calibrate={sync.calibrate} />
          <LatencySettings
            onChange={sync.setOutputLatencyOffsetMs}
            onCalibrationClick={sync.playCalibrationClick}
            audioReady={snapshot.audio === "running" && joined}
          />
        </div>
      </div>

      {showUnlock && <AudioUnlockOverlay onUnlock={sync.unlockAudio} />}
    </main>
  );
}
