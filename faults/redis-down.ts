import { randomBytes } from "node:crypto";
import { parseServerMessage, type ServerMessage } from "@sync-beats/protocol";
import { WebSocket } from "ws";
import { AppProcess, cuttableProxy, freePort, type ScenarioResult, sleep, ticketJoin } from "./lib.js";

const SECRET = "faults-redis-secret-0123456789abcdef";

/** A ticket-holding socket that records what the server sends. */
async function open(port: number, room: string, userId: string) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}`);
  const received: ServerMessage[] = [];
  let closed: number | null = null;
  ws.on("message", (data) => {
    const parsed = parseServerMessage(data.toString());
    if (parsed.ok) received.push(parsed.message);
  });
  ws.on("close", (code) => (closed = code));
  ws.on("error", () => {});
  await new Promise((r) => ws.once("open", r));
  ws.send(ticketJoin(SECRET, room, userId, "alice"));
  return {
    ws,
    received,
    get closed() {
      return closed;
    },
    /** The first message of `type` after index `from`, or null after `ms`. */
    async next(type: ServerMessage["type"], from: number, ms = 3_000): Promise<ServerMessage | null> {
      const deadline = performance.now() + ms;
      while (performance.now() < deadline) {
        const found = received.slice(from).find((m) => m.type === type);
        if (found) return found;
        await sleep(10);
      }
      return null;
    },
  };
}

/**
 * Redis goes away under a scaled sync node (reached through a proxy that is cut: live connections
 * dropped, new ones refused) for a few seconds, then comes back. Observed: whether the process
 * stays up, what a host command, a clock probe and a new join get during the outage, and how soon
 * commands and joins work again afterwards.
 */
export async function redisOutage(redisUrl: string | undefined, outageMs = 3_000): Promise<ScenarioResult> {
  const name = "Redis unavailable under a scaled sync node";
  if (!redisUrl) return { name, outcome: "skipped", figures: {}, notes: ["TEST_REDIS_URL is not set"] };
  const proxyPort = await freePort();
  const proxy = cuttableProxy(Number(new URL(redisUrl).port || 6379));
  const port = await freePort();
  const node = new AppProcess(
    "apps/sync/src/main.ts",
    { PORT: String(port), HOST: "127.0.0.1", SYNC_SECRET: SECRET, LOG_LEVEL: "warn", REDIS_URL: `redis://127.0.0.1:${proxyPort}` },
    `http://127.0.0.1:${port}/healthz`,
  );
  const room = `R${randomBytes(4).toString("hex").toUpperCase()}`;
  const figures: Record<string, string | number> = {};
  const notes: string[] = [];
  const sockets: WebSocket[] = [];
  try {
    await proxy.open(proxyPort);
    await node.start();
    const host = await open(port, room, "alice");
    const guest = await open(port, room, "bob");
    sockets.push(host.ws, guest.ws);
    if (!(await guest.next("joined", 0))) throw new Error("guest did not join");
    host.ws.send(JSON.stringify({ type: "PLAY", id: "play", audioUrl: "/x.wav", duration: 600_000 }));
    if (!(await guest.next("PLAY", 0))) throw new Error("no PLAY before the outage");

    await proxy.cut();
    const cutAt = performance.now();
    await sleep(200);
    let mark = host.received.length;
    host.ws.send(JSON.stringify({ type: "time_ping", t0: 1 }));
    figures["time_ping during outage"] = (await host.next("time_pong", mark, 1_000)) ? "answered" : "no answer";
    mark = host.received.length;
    const guestMark = guest.received.length;
    host.ws.send(JSON.stringify({ type: "SEEK", id: "outage-seek", seekPositionMs: 60_000 }));
    const seekAnswer = await Promise.race([host.next("SEEK", mark, 2_000), host.next("command_refused", mark, 2_000)]);
    figures["host SEEK during outage"] = seekAnswer ? (seekAnswer.type === "command_refused" ? `refused ${seekAnswer.code}` : "broadcast") : "no answer in 2 s";
    figures["guest saw that SEEK"] = String(guest.received.slice(guestMark).some((m) => m.type === "SEEK"));
    const joiner = await open(port, room, "carol");
    sockets.push(joiner.ws);
    const joinAnswer = await Promise.race([joiner.next("joined", 0, 2_000), joiner.next("error", 0, 2_000)]);
    figures["new join during outage"] = joinAnswer ? (joinAnswer.type === "error" ? `error ${joinAnswer.code}` : "joined") : "no answer in 2 s";
    const health = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status, () => 0);
    figures["/healthz during outage"] = health || "no answer";
    await sleep(Math.max(0, outageMs - (performance.now() - cutAt)));
    figures["process alive after outage"] = String(node.alive);

    await proxy.open(proxyPort);
    const backAt = performance.now();
    let recoveredMs: number | null = null;
    for (let attempt = 0; attempt < 100 && recoveredMs === null; attempt++) {
      const from = guest.received.length;
      host.ws.send(JSON.stringify({ type: "SEEK", id: `retry-${attempt}`, seekPositionMs: 1_000 * attempt }));
      if (await guest.next("SEEK", from, 200)) recoveredMs = performance.now() - backAt;
    }
    figures["commands work again after (ms)"] = recoveredMs === null ? "never (20 s)" : Math.round(recoveredMs);
    const late = await open(port, room, "dave");
    sockets.push(late.ws);
    const sync = await late.next("PLAY_SYNC", 0, 3_000);
    figures["late joiner gets PLAY_SYNC after recovery"] = String(sync !== null);
    figures["join made during the outage completed"] = String(joiner.received.some((m) => m.type === "joined"));
    notes.push("commands during the outage are not buffered: the host repeats them (or the engine resends) once Redis is back");
    const ok = node.alive && recoveredMs !== null && sync !== null;
    return { name, outcome: ok ? "degraded" : "fail", figures, notes };
  } catch (error) {
    return { name, outcome: "fail", figures, notes: [...notes, String(error), node.output.join("").slice(-1_500)] };
  } finally {
    for (const ws of sockets) ws.terminate();
    await proxy.cut();
    await node.stop();
  }
}
