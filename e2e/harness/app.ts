import { PROTOCOL_VERSIONS } from "@sync-beats/protocol";
import type { Page } from "playwright-core";
import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { ARTIFACTS_DIR } from "./paths.js";
import type { ScriptedPage } from "./scripted-page.js";

/** What the room page's `window.__syncBeats` hook reports, flattened for assertions. */
export interface PlayerState {
  connection: string;
  /** When the current connection joined (engine clock, ms), null while not joined: a rejoin changes it. */
  joinedSinceMs: number | null;
  isHost: boolean;
  /** The page may control playback now (host, or listeners allowed): what enables its controls. */
  canControl: boolean;
  /** The live room's setting, from `joined` / `room_updated`; null before joining. */
  listenersCanControl: boolean | null;
  /** The code of the latest refused command, null when none was refused. */
  lastRefusalCode: string | null;
  trackId: string | null;
  isPaused: boolean;
  audio: string;
  loading: boolean;
  /** Timeline position (ms). */
  positionMs: number;
  /** What the audio device renders now (ms), null when silent. */
  renderedMs: number | null;
  /** Wall-clock instant of the reading (ms since epoch, fractional), shared by every page. */
  wallMs: number;
  participants: number;
  driftMs: number | null;
  rttMs: number | null;
}

export async function readPlayer(page: ScriptedPage): Promise<PlayerState | null> {
  return page.evaluate(() => {
    const hook = window.__syncBeats;
    if (!hook) return null;
    const s = hook.getSnapshot();
    return {
      connection: s.connection.status,
      joinedSinceMs: s.connection.status === "joined" ? s.connection.sinceMs : null,
      isHost: s.isHost,
      canControl: s.canControl,
      listenersCanControl: s.room?.facts.listenersCanControl ?? null,
      lastRefusalCode: s.commands.lastRefusal?.code ?? null,
      trackId: s.track?.trackId ?? null,
      isPaused: s.isPaused,
      audio: s.audio,
      loading: s.loading,
      positionMs: hook.getPositionMs(),
      renderedMs: hook.renderedPositionMs(),
      wallMs: performance.timeOrigin + performance.now(),
      participants: s.participants.length,
      driftMs: s.stats.driftMs,
      rttMs: s.stats.rttMs,
    };
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls the page until `predicate` holds; fails with the last state seen. */
export async function waitForPlayer(
  page: ScriptedPage,
  what: string,
  predicate: (state: PlayerState) => boolean,
  timeoutMs: number,
): Promise<PlayerState> {
  const deadline = Date.now() + timeoutMs;
  const started = Date.now();
  let last: PlayerState | null = null;
  let phase = "";
  const transitions: string[] = [];
  for (;;) {
    last = await readPlayer(page).catch(() => null);
    // Phase transitions with their times, for the log: where did the wait go?
    const now = last
      ? `${last.connection}/${last.trackId ?? "-"}/${last.loading ? "loading" : "loaded"}/${last.audio}/${last.renderedMs === null ? "silent" : "rendering"}`
      : "no-engine";
    if (now !== phase) transitions.push(`+${Date.now() - started}ms ${(phase = now)}`);
    if (last && predicate(last)) {
      if (process.env.E2E_TRACE === "1") console.log(`[e2e] ${what}: ${transitions.join(" → ")}`);
      return last;
    }
    if (Date.now() > deadline) throw new Error(
        `${what}: not reached in ${timeoutMs} ms; last state ${JSON.stringify(last)}; phases ${transitions.join(" → ")}`,
      );
    await sleep(50);
  }
}

/** Audibly playing `trackId`: joined, not paused, and the audio device rendering it. */
export const isPlaying = (trackId: string) => (s: PlayerState) =>
  s.connection === "joined" && s.trackId === trackId && !s.isPaused && s.audio === "running" && s.renderedMs !== null;

export async function signUp(page: Page, webUrl: string, username: string, displayName: string): Promise<void> {
  await page.goto(`${webUrl}/signup`);
  await page.fill("#username", username);
  await page.fill("#displayName", displayName);
  await page.fill("#password", "correct horse battery");
  await page.click('[data-testid="auth-submit"]');
  await page.waitForURL(`${webUrl}/dashboard`);
}

export async function createRoom(page: Page, name: string): Promise<string> {
  await page.fill("#room-name", name);
  await page.click('[data-testid="create-room"]');
  await page.waitForURL(/\/dashboard\/room\/[A-Z0-9]+$/);
  return page.url().split("/").pop()!;
}

/** Types the code into the dashboard's join form (already open) and submits it. */
export async function joinByCode(page: Page, webUrl: string, code: string): Promise<void> {
  await page.fill("#join-code", code.toLowerCase());
  await page.click('[data-testid="join-room"]');
  await page.waitForURL(`${webUrl}/dashboard/room/${code}`);
}

/**
 * How far apart two pages render the track, comparing each page's rendered position against the
 * shared wall clock (both pages run on this machine), in ms.
 */
export function renderedGapMs(a: PlayerState, b: PlayerState): number {
  if (a.renderedMs === null || b.renderedMs === null) return Number.POSITIVE_INFINITY;
  return Math.abs(a.renderedMs - a.wallMs - (b.renderedMs - b.wallMs));
}

export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = join(ARTIFACTS_DIR, "screenshots");
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

/** Appends the page's console errors/warnings and uncaught errors to `test-artifacts/e2e/logs/<name>-console.log`. */
export function recordConsole(page: Page, name: string): void {
  const dir = join(ARTIFACTS_DIR, "logs");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}-console.log`);
  const write = (line: string) => appendFileSync(file, `${new Date().toISOString()} ${line}\n`);
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") write(`[${message.type()}] ${message.text()}`);
  });
  page.on("pageerror", (error) => write(`[pageerror] ${error.stack ?? error.message}`));
}

/** A viewport-sized, CSS-pixel screenshot for the README (`test-artifacts/e2e/docs/`). */
export async function docScreenshot(page: Page, name: string): Promise<void> {
  const dir = join(ARTIFACTS_DIR, "docs");
  mkdirSync(dir, { recursive: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(dir, `${name}.png`), scale: "css" });
}

/**
 * Opens a socket of the page's user with a ticket issued now and keeps it open without ever
 * rejoining (what a hostile client would do to keep a grant); resolves once joined.
 */
export async function holdRawSocket(page: ScriptedPage, where: { apiUrl: string; syncPort: number; roomCode: string }): Promise<void> {
  await page.evaluate(
    async ({ apiUrl, syncPort, code, versions }) => {
      const ticketResponse = await fetch(`${apiUrl}/api/rooms/${code}/ticket`, { method: "POST", credentials: "include" });
      const { ticket } = (await ticketResponse.json()) as { ticket: string };
      const ws = new WebSocket(`ws://localhost:${syncPort}/`);
      const held = window as unknown as { __heldSocket?: WebSocket; __heldReplies?: { type: string; code?: string }[] };
      held.__heldSocket?.close();
      held.__heldSocket = ws;
      held.__heldReplies = [];
      await new Promise<void>((resolve, reject) => {
        ws.onopen = () => ws.send(JSON.stringify({ type: "join", roomCode: code, versions, ticket }));
        ws.onmessage = (event) => {
          const reply = JSON.parse(String(event.data)) as { type: string; code?: string };
          held.__heldReplies!.push(reply);
          if (reply.type === "joined") resolve();
          if (reply.type === "error") reject(new Error(`held socket refused: ${reply.code}`));
        };
      });
    },
    { apiUrl: where.apiUrl, syncPort: where.syncPort, code: where.roomCode, versions: { ...PROTOCOL_VERSIONS } },
  );
}

/** The sync server's answer to a raw frame: its command answer, an `error`, or nothing within 5 s. */
export type RawAnswer =
  | { type: "command_accepted" }
  | { type: "command_refused" | "error"; code: string }
  | { type: "no answer" };

let rawCommands = 0;

/**
 * Sends `frame` on the socket {@link holdRawSocket} opened, with a fresh command `id` unless it
 * has one, and resolves with the server's answer to that id (or an `error` frame).
 */
export async function sendOnHeldSocket(page: ScriptedPage, frame: { type: string } & Record<string, unknown>): Promise<RawAnswer> {
  const message = { id: `e2e-raw-${++rawCommands}`, ...frame };
  return page.evaluate(async (message) => {
    type Reply = { type: string; id?: string; code?: string };
    const held = window as unknown as { __heldSocket: WebSocket; __heldReplies: Reply[] };
    const seen = held.__heldReplies.length;
    held.__heldSocket.send(JSON.stringify(message));
    for (let waited = 0; waited < 5_000; waited += 50) {
      const reply = held.__heldReplies.slice(seen).find((r) => r.type === "error" || r.id === message.id);
      if (reply?.type === "command_accepted") return { type: "command_accepted" } as const;
      if (reply) return { type: reply.type === "error" ? "error" : "command_refused", code: reply.code ?? "" } as const;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return { type: "no answer" } as const;
  }, message);
}

/** Waits until the socket {@link holdRawSocket} opened has received a frame containing `expected` (nested objects: partly). */
export async function waitForHeldFrame(page: Page, expected: Record<string, unknown>, timeoutMs: number): Promise<void> {
  await page.waitForFunction(
    (want) => {
      const contains = (value: unknown, part: unknown): boolean =>
        part !== null && typeof part === "object"
          ? value !== null && typeof value === "object" && Object.entries(part).every(([key, inner]) => contains((value as Record<string, unknown>)[key], inner))
          : value === part;
      const replies = (window as unknown as { __heldReplies: unknown[] }).__heldReplies;
      return replies.some((reply) => contains(reply, want));
    },
    expected,
    { timeout: timeoutMs },
  );
}

/**
 * Bypasses the UI: from `page` (its session cookie), fetches a ticket, opens a second socket to the
 * sync server, joins and sends `message` (a command gets a fresh id). Resolves with the server's answer.
 */
export async function sendRawControl(
  page: ScriptedPage,
  where: { apiUrl: string; syncPort: number; roomCode: string },
  message: { type: string } & Record<string, unknown>,
): Promise<RawAnswer> {
  await holdRawSocket(page, where);
  const answer = await sendOnHeldSocket(page, message);
  await page.evaluate(() => (window as unknown as { __heldSocket: WebSocket }).__heldSocket.close());
  return answer;
}
