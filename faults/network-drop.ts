import { randomBytes } from "node:crypto";
import { connect, createServer, type Socket } from "node:net";
import { parseServerMessage, type ServerMessage } from "@sync-beats/protocol";
import { WebSocket } from "ws";
import { AppProcess, freePort, type ScenarioResult, seededRandom, sleep, ticketJoin } from "./lib.js";

const SECRET = "faults-drop-secret-0123456789abcdef";

/**
 * One guest's network black-holes for `dropMs` (default 30 s): packets vanish, nothing is closed,
 * new connections fail. The server's heartbeat must drop the dead socket (others see `user_left`);
 * the guest's own keep-alive (ping every 2 s, 5 s without pong = dead) must notice, then reconnect
 * with seeded full-jitter backoff and a fresh ticket once the network is back, and get `PLAY_SYNC`
 * at the timeline's position. In-memory mode: the room lives on with its other members.
 */
export async function networkDrop(dropMs = Number(process.env.FAULT_DROP_MS ?? 30_000)): Promise<ScenarioResult> {
  const name = `client network drop ${Math.round(dropMs / 1000)} s`;
  const port = await freePort();
  // The product default (README): a dead socket is dropped 15–30 s after it stops answering.
  const heartbeatMs = 15_000;
  const server = new AppProcess(
    "apps/sync/src/main.ts",
    { PORT: String(port), HOST: "127.0.0.1", SYNC_SECRET: SECRET, LOG_LEVEL: "warn", SYNC_HEARTBEAT_MS: String(heartbeatMs) },
    `http://127.0.0.1:${port}/healthz`,
  );
  const room = `N${randomBytes(4).toString("hex").toUpperCase()}`;
  const figures: Record<string, string | number> = { "server heartbeat (ms)": heartbeatMs };
  const notes: string[] = [];
  const random = seededRandom(8_400);

  // The guest's path to the server: forwards normally, or black-holes everything.
  let blackhole = false;
  const live = new Set<Socket>();
  const proxyPort = await freePort();
  const proxy = createServer((client) => {
    if (blackhole) {
      client.destroy();
      return;
    }
    const upstream = connect(port, "127.0.0.1");
    for (const socket of [client, upstream]) {
      live.add(socket);
      socket.on("close", () => live.delete(socket));
      socket.on("error", () => {});
    }
    client.on("data", (chunk) => blackhole || upstream.write(chunk));
    upstream.on("data", (chunk) => blackhole || client.write(chunk));
    // A vanished network carries no FIN either: while black-holed, the client giving up does not
    // reach the server, which must find out by its heartbeat.
    client.on("close", () => blackhole || upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((r) => proxy.listen(proxyPort, "127.0.0.1", r));

  const received = { host: [] as ServerMessage[], guest: [] as ServerMessage[] };
  const sockets: WebSocket[] = [];
  let stopping = false;
  let guestAttempts = 0;
  let guestDeadAt: number | null = null;
  let guestRejoinedAt: number | null = null;
  let restoredAt = Infinity;

  function join(who: "host" | "guest", viaPort: number): void {
    const ws = new WebSocket(`ws://127.0.0.1:${viaPort}`, { handshakeTimeout: 2_000 });
    sockets.push(ws);
    let lastPong = performance.now();
    const keepAlive = setInterval(() => {
      if (performance.now() - lastPong > 5_000) {
        guestDeadAt ??= performance.now();
        ws.terminate();
      } else if (ws.readyState === WebSocket.OPEN) ws.ping();
    }, 2_000);
    ws.on("pong", () => (lastPong = performance.now()));
    ws.on("open", () => {
      ws.send(ticketJoin(SECRET, room, who, "host"));
    });
    ws.on("message", (data) => {
      const parsed = parseServerMessage(data.toString());
      if (!parsed.ok) return;
      received[who].push(parsed.message);
      if (who === "guest" && parsed.message.type === "joined" && performance.now() > restoredAt) guestRejoinedAt ??= performance.now();
    });
    ws.on("error", () => {});
    ws.on("close", () => {
      clearInterval(keepAlive);
      if (stopping || who === "host") return;
      setTimeout(() => join(who, viaPort), random() * Math.min(4_000, 100 * 2 ** guestAttempts++));
    });
  }

  const until = async (check: () => boolean, ms: number) => {
    const deadline = performance.now() + ms;
    while (!check() && performance.now() < deadline) await sleep(20);
    return check();
  };
  try {
    await server.start();
    join("host", port);
    join("guest", proxyPort);
    if (!(await until(() => received.host.some((m) => m.type === "joined") && received.guest.some((m) => m.type === "joined"), 5_000))) throw new Error("no join");
    sockets[0]!.send(JSON.stringify({ type: "PLAY", id: "play", audioUrl: "/x.wav", duration: 600_000 }));
    if (!(await until(() => received.guest.some((m) => m.type === "PLAY"), 5_000))) throw new Error("no PLAY");
    const play = received.host.find((m) => m.type === "PLAY") as Extract<ServerMessage, { type: "PLAY" }>;

    blackhole = true;
    const droppedAt = performance.now();
    const hostMark = received.host.length;
    await until(() => received.host.slice(hostMark).some((m) => m.type === "user_left"), dropMs - 100);
    const left = received.host.slice(hostMark).findIndex((m) => m.type === "user_left");
    figures["server dropped the dead guest after (ms)"] = left >= 0 ? Math.round(performance.now() - droppedAt) : "not within the drop";
    figures["guest noticed the dead link after (ms)"] = guestDeadAt === null ? "not yet" : Math.round(guestDeadAt - droppedAt);
    await sleep(Math.max(0, dropMs - (performance.now() - droppedAt)));
    blackhole = false;
    restoredAt = performance.now();
    guestAttempts = 0;

    const back = await until(() => guestRejoinedAt !== null && received.guest.slice(-3).some((m) => m.type === "PLAY_SYNC"), 10_000);
    const sync = [...received.guest].reverse().find((m) => m.type === "PLAY_SYNC") as Extract<ServerMessage, { type: "PLAY_SYNC" }> | undefined;
    figures["rejoined after the network came back (ms)"] = guestRejoinedAt === null ? "never (10 s)" : Math.round(guestRejoinedAt - restoredAt);
    const error = sync ? Math.abs(sync.positionMs - (sync.atServerMs - play.startServerMs)) : Infinity;
    figures["position error (ms)"] = Number.isFinite(error) ? error.toFixed(3) : "no PLAY_SYNC";
    // The server-side drop is reported, not required: within the drop when the heartbeat allows.
    const ok = back && error <= 20 && guestRejoinedAt !== null && guestRejoinedAt - restoredAt <= 5_000;
    return { name, outcome: ok ? "pass" : "fail", figures, notes };
  } catch (error) {
    return { name, outcome: "fail", figures, notes: [...notes, String(error)] };
  } finally {
    stopping = true;
    for (const ws of sockets) ws.terminate();
    for (const socket of live) socket.destroy();
    proxy.close();
    await server.stop();
  }
}
