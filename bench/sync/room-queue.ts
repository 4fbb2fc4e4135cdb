/**
 * Room mode's queue scenario (issue 18): the host queues three short timecode tracks through
 * the room page's queue panel and starts the first; the server advances through the rest on its
 * own. Measured from every page's rendered output: the gap at each track boundary
 * (`e2e/harness/boundary-gaps.ts`: the next track's first sample against the frame after the
 * previous one's last; silence and a cut start both count) and the inter-client offset over
 * the two seconds either side of each boundary.
 */
import { loadavg } from "node:os";
import { DEMO_SAMPLE_RATE } from "@sync-beats/demo-tracks";
import { waitForPlayer } from "../../e2e/harness/app.js";
import { boundaryGaps } from "../../e2e/harness/boundary-gaps.js";
import { errorSeries, interClientOffsets, summarize, type Summary } from "./analysis.js";
import { startDelayProxy, type DelayProxy } from "./delay-proxy.js";
import { quantile } from "./fit.js";
import { ms } from "./report.js";
import { uploadTrack } from "./room-accounts.js";
import { JUMP_GUARD_MS, pageTracks } from "./room-analysis.js";
import { observeRoom, type RoomObserver } from "./room-observer.js";
import { calibratePage, gatherInRoom, leaveRoom, useProxy } from "./room-pages.js";
import type { RoomBench } from "./room-scenario.js";
import { progress, timelineOf } from "./room-scenario.js";
import { startBusyLoops } from "./room-stress.js";
import { wrappingTimecodeWav } from "./room-timecode.js";
import { SCENARIOS } from "./scenarios.js";
import { nowMs, sleep } from "./time.js";

/** Track lengths (s): long enough for a late first start to be corrected before the boundary. */
const QUEUE_SECONDS = [12, 12, 6];
const AROUND_BOUNDARY_MS = 2_000;

export interface BoundaryResult {
  /** Per page: |gap| + skipped start (ms), null where the page showed no boundary. */
  readonly gapsMs: readonly (number | null)[];
  readonly gapP95Ms: number;
  readonly gapMaxMs: number;
  /** Inter-client offset within ±2 s of the boundary (±50 ms excluded). */
  readonly interClientMs: Summary;
}

export interface QueueRunResult {
  readonly boundaries: readonly BoundaryResult[];
  readonly loadBefore: number;
  readonly loadAfter: number;
}

/** Per-page gap at each boundary, and its p95 / max across the pages that showed it (pure). */
export function boundaryFigures(gapsPerPage: readonly (readonly { gapMs: number; skippedMs: number }[])[], boundaries: number): Omit<BoundaryResult, "interClientMs">[] {
  return Array.from({ length: boundaries }, (_, k) => {
    const gapsMs = gapsPerPage.map((gaps) => (gaps[k] ? Math.abs(gaps[k].gapMs) + gaps[k].skippedMs : null));
    const present = gapsMs.filter((g): g is number => g !== null);
    return { gapsMs, gapP95Ms: quantile(present, 0.95), gapMaxMs: present.length ? Math.max(...present) : Number.NaN };
  });
}

export async function runQueueScenario(bench: RoomBench, busy: boolean, seed: number): Promise<QueueRunResult> {
  const loadBefore = loadavg()[0]!;
  const { pages, urls } = bench;
  const [owner] = pages;
  const lan = SCENARIOS.find((s) => s.name === "lan")!;
  const proxies: DelayProxy[] = [];
  let observer: RoomObserver | null = null;
  const stopBusy = busy ? startBusyLoops() : () => undefined;
  try {
    const stamp = Date.now().toString(36).slice(-4);
    const ids: string[] = [];
    for (const [k, seconds] of QUEUE_SECONDS.entries()) {
      const title = `Queue ${k + 1} ${stamp}`;
      ids.push(await uploadTrack(owner!, urls, wrappingTimecodeWav(seconds, title), title));
    }
    for (let i = 0; i < pages.length; i += 1) proxies.push(await startDelayProxy(urls.syncPort, lan.network(i), seed * 101 + i));
    await Promise.all(pages.map((page, i) => useProxy(page, proxies[i]!.port)));
    const roomCode = await gatherInRoom(pages, urls.webUrl, "bench queue");
    for (const page of pages) await waitForPlayer(page.page, `page ${page.index} joined`, (s) => s.connection === "joined" && s.audio === "running", 30_000);
    for (const page of pages) await calibratePage(page);
    observer = await observeRoom(urls.apiUrl, urls.syncPort, roomCode, bench.observerCookie);
    const serverMinusBenchMs = await observer.serverMinusBenchMs();
    for (const [k, id] of ids.entries()) {
      await owner!.page.selectOption('[data-testid="queue-add-select"]', id);
      await owner!.page.click('[data-testid="queue-add"]');
      await owner!.page.locator('[data-testid="queue-item"]').nth(k).waitFor({ timeout: 10_000 });
    }
    // What each tap holds already (an earlier scenario's track, whose context frames may run on
    // after a suspend) is not part of this queue: its last sample could pass for a boundary.
    const recordsBefore = await Promise.all(pages.map((page) => page.page.evaluate(async () => (await window.__benchTap.collect())?.records.length ?? 0)));
    progress("queue", `room ${roomCode}: ${ids.length} items queued through the panel; the host clicks play now`);
    await owner!.page.locator('[data-testid="queue-item"]').first().locator('[data-testid="queue-play-now"]').click();
    const totalMs = QUEUE_SECONDS.reduce((a, b) => a + b, 0) * 1000;
    await owner!.page.locator('[data-testid="queue-ended"]').waitFor({ timeout: totalMs + 120_000 });
    await sleep(300);

    const captures = [];
    for (const page of pages) captures.push({ page, tap: await page.page.evaluate(() => window.__benchTap.collect()) });
    const gapsPerPage = captures.map(({ tap }, i) =>
      tap ? boundaryGaps(tap.records.slice(recordsBefore[i]), tap.sampleRate, QUEUE_SECONDS.slice(0, -1).map((s) => s * DEMO_SAMPLE_RATE)) : [],
    );
    const events = timelineOf(observer.events, serverMinusBenchMs);
    const starts = observer.events.filter((e) => e.type === "TRACK_CHANGE" || e.type === "PLAY").map((e) => e.atServerMs - serverMinusBenchMs);
    const tracks = pageTracks(
      captures.map(({ page, tap }) => ({ ...page, tap, hardSeeks: null, resyncs: null, rttMs: null, proxyDelaysMs: { up: [], down: [] }, enginePositions: [] })),
      events,
    );
    const series = errorSeries(tracks, events, starts[0] ?? nowMs(), nowMs(), 5);
    const boundaries = boundaryFigures(gapsPerPage, QUEUE_SECONDS.length - 1).map((figures, k) => {
      const at = starts[k + 1] ?? Number.NaN;
      const before = interClientOffsets(series, at - AROUND_BOUNDARY_MS, at - JUMP_GUARD_MS).offsetsMs;
      const after = interClientOffsets(series, at + JUMP_GUARD_MS, at + AROUND_BOUNDARY_MS).offsetsMs;
      return { ...figures, interClientMs: summarize([...before, ...after]) };
    });
    return { boundaries, loadBefore, loadAfter: loadavg()[0]! };
  } finally {
    stopBusy();
    observer?.close();
    await Promise.all(pages.map((page) => leaveRoom(page, urls.webUrl)));
    await Promise.all(proxies.map((proxy) => proxy.close()));
  }
}

/** One row per boundary per run. */
export function queueTable(runs: readonly QueueRunResult[]): string {
  const header = ["run", "boundary", "gap p95 / max across pages (ms)", "inter-client ±2 s p95 / max (ms)", "pages showing it", "load start → end"];
  const lines = [`| ${header.join(" | ")} |`, `|${header.map(() => " --- ").join("|")}|`];
  runs.forEach((run, r) =>
    run.boundaries.forEach((b, k) =>
      lines.push(
        `| ${[r + 1, `${k + 1} → ${k + 2}`, `${ms(b.gapP95Ms)} / ${ms(b.gapMaxMs)}`, `${ms(b.interClientMs.p95)} / ${ms(b.interClientMs.max)}`, `${b.gapsMs.filter((g) => g !== null).length} of ${b.gapsMs.length}`, `${run.loadBefore.toFixed(1)} → ${run.loadAfter.toFixed(1)}`].join(" | ")} |`,
      ),
    ),
  );
  return lines.join("\n");
}
