import type { ServerMessage } from "@sync-beats/protocol";
import { describe, expect, it } from "vitest";
import { harness } from "../test/harness.js";

const FIRST = { audioUrl: "/tracks/first.wav", duration: 8_000, trackId: "first" };
const NEXT = { audioUrl: "/tracks/next.wav", duration: 6_000, trackId: "next" };
const queued: ServerMessage = {
  type: "queue",
  version: 1,
  items: [{ id: "item-1", track: NEXT, addedBy: { userId: "u2", name: "Bo" } }],
  nowPlaying: null,
  endedAtServerMs: null,
};

/**
 * A room playing FIRST whose server announces NEXT at FIRST's end instant, 3 s ahead (as the
 * server advance does). Loading takes 4 s, longer than that lookahead: only a prefetch of the
 * queue's head gets NEXT decoded in time.
 */
async function boundary(withQueue: boolean) {
  const h = harness({ audio: { loadDelayMs: 4_000 } });
  h.engine.connect();
  const socket = await h.join();
  await h.engine.unlockAudio();
  const start = h.serverNow() + 5_000;
  socket.receive({ type: "PLAY", ...FIRST, startServerMs: start, positionMs: 0 });
  if (withQueue) socket.receive(queued);
  await h.clock.advance(start + FIRST.duration - 3_000 - h.serverNow());
  socket.receive({ type: "TRACK_CHANGE", trackData: NEXT, startServerMs: start + FIRST.duration });
  await h.clock.advance(6_000);
  const next = h.audio.starts.find((s) => s.url === NEXT.audioUrl)!;
  return { h, next };
}

describe("engine: queue", () => {
  it("[Q8] the head of the queue is prefetched, so the next track's first sample follows the last of the one before", async () => {
    const { h, next } = await boundary(true);
    expect(h.engine.getSnapshot().queue?.items.map((i) => i.id)).toEqual(["item-1"]);
    expect(next.offsetMs).toBeCloseTo(0, 3);
    // Half a millisecond either side of the boundary on the audio clock: the end of one, the start of the other.
    expect(h.audio.renderedPositionMs(next.when - 0.0005)! - (FIRST.duration - 0.5)).toBeCloseTo(0, 0);
    expect(h.audio.renderedPositionMs(next.when + 0.0005)!).toBeCloseTo(0.5, 1);
  });

  it("[Q8] without the prefetch the next track starts late, part-way in (what the prefetch prevents)", async () => {
    const { next } = await boundary(false);
    expect(next.offsetMs).toBeGreaterThan(500);
  });
});
