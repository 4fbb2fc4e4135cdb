"use client";

import type { QueueItem, Track, UpdateRoomBody } from "@sync-beats/protocol";
import type { QueueCommandInput, SyncSnapshot } from "@sync-beats/sync-engine";
import { type FormEvent, useState } from "react";
import { errorMessage } from "@/lib/api-error";
import { formatAudioType } from "@/lib/format";
import { mayAddToQueue, mayEditItem, moveCommand, queueEndedNotice } from "@/lib/queue-order";

/**
 * The room's shared queue, owned by the sync server: what plays next, who added each item, and
 * the controls the server allows this member (it refuses the rest, rules Q3–Q7). Reordering works
 * by drag and drop and, for the keyboard, with the move buttons. The owner sets who may add.
 */
export function QueuePanel({
  snapshot,
  library,
  send,
  saveSettings,
}: {
  snapshot: SyncSnapshot;
  library: readonly Track[] | null;
  send: (command: QueueCommandInput) => unknown;
  saveSettings: (patch: UpdateRoomBody) => Promise<void>;
}) {
  const [choice, setChoice] = useState("");
  const [dragged, setDragged] = useState<string | null>(null);
  const [settingError, setSettingError] = useState<string | null>(null);
  const queue = snapshot.queue;
  const items = queue?.items ?? [];
  const room = snapshot.room;
  const selfId = room?.userId ?? null;
  const policy = room?.facts.queueAddPolicy ?? "everyone";
  const canAdd = room !== null && mayAddToQueue(policy, snapshot.isHost);
  const isOwner = room !== null && room.facts.ownerId === room.userId;
  const ended = queueEndedNotice(queue);
  const tracks = library ?? [];
  const picked = tracks.find((track) => track.id === choice) ?? tracks[0];

  function add(event: FormEvent) {
    event.preventDefault();
    if (picked) send({ type: "queue_add", trackGrant: picked.queueGrant });
  }

  function move(item: QueueItem, toIndex: number) {
    const command = moveCommand(items, item.id, toIndex);
    if (command) send(command);
  }

  async function setPolicy(hostOnly: boolean) {
    setSettingError(null);
    try {
      await saveSettings({ queueAddPolicy: hostOnly ? "host" : "everyone" });
    } catch (failure) {
      setSettingError(errorMessage(failure));
    }
  }

  return (
    <section className="card" aria-labelledby="queue-title" data-testid="queue-panel">
      <h2 id="queue-title">Queue</h2>
      {queue?.nowPlaying && (
        <p className="small" data-testid="queue-now-playing">
          Now playing <strong>{queue.nowPlaying.track.title ?? "a track"}</strong>, queued by {queue.nowPlaying.addedBy.name}
        </p>
      )}
      {ended && (
        <p className="muted small" role="status" data-testid="queue-ended">
          {ended}
        </p>
      )}
      <form className="row" onSubmit={add}>
        <label htmlFor="queue-add-track" className="small">
          Add from the library
        </label>
        <select id="queue-add-track" value={picked?.id ?? ""} onChange={(event) => setChoice(event.target.value)} data-testid="queue-add-select">
          {tracks.map((track) => (
            <option key={track.id} value={track.id}>
              {track.title}
              {track.artist ? ` — ${track.artist}` : ""}
              {` · ${formatAudioType(track.mimeType)}`}
            </option>
          ))}
        </select>
        <button type="submit" className="small" disabled={!canAdd || !picked} data-testid="queue-add">
          Add to queue
        </button>
      </form>
      {!canAdd && room && <p className="muted small">Only the host adds to this room&apos;s queue.</p>}
      {items.length === 0 ? (
        <p className="muted small" data-testid="queue-empty">
          Nothing queued.
        </p>
      ) : (
        <ol className="list" data-testid="queue-items" aria-describedby="queue-hint">
          {items.map((item, index) => {
            const editable = mayEditItem(item, selfId, snapshot.isHost);
            const title = item.track.title ?? "track";
            return (
              <li
                key={item.id}
                data-testid="queue-item"
                data-item-id={item.id}
                draggable={editable}
                onDragStart={(event) => {
                  // Firefox starts a drag only when it carries data.
                  event.dataTransfer.setData("text/plain", item.id);
                  event.dataTransfer.effectAllowed = "move";
                  setDragged(item.id);
                }}
                onDragEnd={() => setDragged(null)}
                onDragOver={(event) => dragged !== null && event.preventDefault()}
                onDrop={(event) => {
                  event.preventDefault();
                  const moving = items.find((candidate) => candidate.id === dragged);
                  if (moving) move(moving, index);
                  setDragged(null);
                }}
              >
                <span className="grow">
                  {index + 1}. {title}
                  <span className="muted small"> · added by {item.addedBy.name}</span>
                </span>
                {editable && (
                  <>
                    <button type="button" className="ghost small" disabled={index === 0} onClick={() => move(item, index - 1)} aria-label={`Move ${title} up`}>
                      ↑
                    </button>
                    <button type="button" className="ghost small" disabled={index === items.length - 1} onClick={() => move(item, index + 1)} aria-label={`Move ${title} down`}>
                      ↓
                    </button>
                    <button type="button" className="ghost small" onClick={() => send({ type: "queue_remove", itemId: item.id })} aria-label={`Remove ${title} from the queue`}>
                      ✕
                    </button>
                  </>
                )}
                {snapshot.isHost && (
                  <>
                    <button type="button" className="secondary small" onClick={() => send({ type: "queue_play_next", itemId: item.id })} aria-label={`Play ${title} next`}>
                      Next
                    </button>
                    <button type="button" className="small" onClick={() => send({ type: "queue_play_now", itemId: item.id })} aria-label={`Play ${title} now`} data-testid="queue-play-now">
                      Now
                    </button>
                  </>
                )}
              </li>
            );
          })}
        </ol>
      )}
      <p id="queue-hint" className="muted small">
        The room plays the queue on by itself. Drag items, or use ↑ and ↓, to reorder.
      </p>
      {isOwner && (
        <label className="checkbox">
          <input type="checkbox" checked={policy === "host"} onChange={(event) => void setPolicy(event.target.checked)} data-testid="queue-host-only" /> Only
          the host adds to the queue
          {settingError && <span className="error small"> {settingError}</span>}
        </label>
      )}
    </section>
  );
}
