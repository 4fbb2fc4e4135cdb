/**
 * Probe: how many host commands per second one sync process's Redis backplane can commit, with
 * nothing else on its event loop. Rooms commit in parallel (a version-checked script on the
 * pipelined connection); commits to one room from one node queue behind each other.
 * Run: npx tsx bench/load/backplane-probe.ts [rooms] [seconds]
 */
import pino from "pino";
import { admit, applyControl, createRedisBackplane, systemClock } from "@sync-beats/sync";
import { Histogram } from "./histogram.js";
import { deleteRoomKeys } from "./processes.js";

const url = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const rooms = Number(process.argv[2] ?? 500);
const seconds = Number(process.argv[3] ?? 5);
const prefix = `LP${Math.random().toString(36).slice(2, 5).toUpperCase()}`;
const backplane = await createRedisBackplane(url, systemClock, pino({ level: "silent" }));
const host = { userId: "u0", name: "u0", room: null };
const ignoreInstant = () => undefined;
const codes = Array.from({ length: rooms }, (_, index) => `${prefix}${index.toString(36).toUpperCase().padStart(4, "0")}`);
for (const code of codes) {
  await backplane.transact(code, admit(host, true, []));
  await backplane.transact(code, applyControl(host, { type: "PLAY", id: "p", audioUrl: "/a.wav", duration: 600_000 }, systemClock.now, 200, ignoreInstant));
}
const latency = new Histogram();
let committed = 0;
const deadline = performance.now() + seconds * 1000;
// Every room keeps one command in flight, like hosts in the saturation phase.
await Promise.all(
  codes.map(async (code, index) => {
    for (let seq = 1; performance.now() < deadline; seq++) {
      const started = performance.now();
      await backplane.transact(code, applyControl(host, { type: "SEEK", id: `s${seq}`, seekPositionMs: 10_000 + seq + index }, systemClock.now, 200, ignoreInstant));
      latency.record((performance.now() - started) * 1000);
      committed++;
    }
  }),
);
console.log(JSON.stringify({ rooms, seconds, commitsPerSecond: Math.round(committed / seconds), latencyMs: latency.summaryMs() }));
await backplane.close();
await deleteRoomKeys(url, prefix);
