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
/** Pings and pongs are well under 126 bytes (one length byte); anything longer is something else. */
const MAX_SHORT_PAYLOAD = 125;

/** The first frame's exchange, or null when the chunk starts with anything but a ping or pong text frame. */
export function peekExchange(chunk: Uint8Array): PeekedExchange | null {
  if (chunk.length < 2 || (chunk[0]! & 0x0f) !== TEXT_OPCODE) return null;
  const masked = (chunk[1]! & 0x80) !== 0;
  const length = chunk[1]! & 0x7f;
  if (length > MAX_SHORT_PAYLOAD) return null;
  const start = masked ? 6 : 2;
  if (chunk.length < start + length) return null;
  const payload = new Uint8Array(length);
  for (let i = 0; i < length; i += 1) payload[i] = masked ? chunk[start + i]! ^ chunk[2 + (i % 4)]! : chunk[start + i]!;
  try {
    const message = JSON.parse(new TextDecoder().decode(payload)) as { type?: unknown; t0?: unknown };
    if ((message.type === "time_ping" || message.type === "time_pong") && typeof message.t0 === "number") return { type: message.type, t0: message.t0 };
  } catch {
    // Not JSON: not an exchange.
  }
  return null;
}
