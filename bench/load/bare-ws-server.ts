/**
 * Baseline: the least a `ws` server can do for the same message pattern (no validation, no
 * timeline, no rate limit). The sync server's figures are read as a ratio of these.
 */
import { WebSocket, WebSocketServer } from "ws";

const rooms = new Map<string, Set<WebSocket>>();
const wss = new WebSocketServer({ host: "127.0.0.1", port: Number(process.env.PORT ?? 0), perMessageDeflate: false });
wss.on("listening", () => console.log(`listening ${JSON.stringify(wss.address())}`));
wss.on("connection", (ws) => {
  let room: Set<WebSocket> | undefined;
  ws.on("message", (data) => {
    const message = JSON.parse(data.toString());
    if (message.type === "join") {
      room = rooms.get(message.roomCode) ?? new Set();
      rooms.set(message.roomCode, room.add(ws));
      ws.send(JSON.stringify({ type: "joined", roomCode: message.roomCode, userId: message.userId, serverTime: Date.now() }));
    } else if (message.type === "time_ping") {
      const now = Date.now();
      ws.send(JSON.stringify({ type: "time_pong", t0: message.t0, t1: now, t2: now, serverTime: now, playbackPosition: null }));
    } else if (message.type === "PLAY" || message.type === "SEEK") {
      const at = Date.now() + 200;
      const { type, id, ...rest } = message;
      const frame = JSON.stringify(type === "PLAY" ? { type, ...rest, startServerMs: at, positionMs: 0 } : { type, ...rest, atServerMs: at, isPaused: false });
      for (const member of room ?? []) member.send(frame);
      // Protocol v2 answers the sender too, so the baseline does the same per command.
      ws.send(JSON.stringify({ type: "command_accepted", id, atServerMs: at }));
    }
  });
  ws.on("close", () => room?.delete(ws));
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => process.exit(0));
