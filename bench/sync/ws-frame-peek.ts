/**
 * Reads the clock exchange a relayed chunk carries, so the delay proxy can say when each ping and
 * pong passed it (room mode's clock-sample decomposition). The sync server turns compression off,
 * so a frame's payload is the JSON text itself, XOR-masked with the frame's key on the way up.
 */

/** The clock exchange a chunk's first frame carries: a `time_ping` (up) or `time_pong` (down), by its t0. */
export interface PeekedExchange {
  readonly type: "time_ping" | "time_pong";
  readonly t0: number;
}

const TEXT_OPCODE = 1;
/** A pong (with the server's time and the playback position) takes ~150 bytes; longer frames are something else. */
const MAX_PAYLOAD = 1024;
/** The length byte's value that says a 16-bit length follows. */
const EXTENDED_16 = 126;

/** The first frame's exchange, or null when the chunk starts with anything but a ping or pong text frame. */
export function peekExchange(chunk: Uint8Array): PeekedExchange | null {
  if (chunk.length < 2 || (chunk[0]! & 0x0f) !== TEXT_OPCODE) return null;
  const masked = (chunk[1]! & 0x80) !== 0;
  const short = chunk[1]! & 0x7f;
  if (short > EXTENDED_16 || chunk.length < 4) return null;
  const length = short === EXTENDED_16 ? (chunk[2]! << 8) | chunk[3]! : short;
  const keyAt = short === EXTENDED_16 ? 4 : 2;
  const start = keyAt + (masked ? 4 : 0);
  if (length > MAX_PAYLOAD || chunk.length < start + length) return null;
  const payload = new Uint8Array(length);
  for (let i = 0; i < length; i += 1) payload[i] = masked ? chunk[start + i]! ^ chunk[keyAt + (i % 4)]! : chunk[start + i]!;
  try {
    const message = JSON.parse(new TextDecoder().decode(payload)) as { type?: unknown; t0?: unknown };
    if ((message.type === "time_ping" || message.type === "time_pong") && typeof message.t0 === "number") return { type: message.type, t0: message.t0 };
  } catch {
    // Not JSON: not an exchange.
  }
  return null;
}
