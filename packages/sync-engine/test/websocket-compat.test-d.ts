// Compile-time check (tsc only): a browser WebSocket satisfies SyncSocket.
import type { SyncSocket } from "../src/index.js";

export const check = (url: string): SyncSocket => new WebSocket(url);
