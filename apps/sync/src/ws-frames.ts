/**
 * Whole WebSocket text frames (RFC 6455 §5.2: FIN + opcode 1, unmasked as a server's are, then the
 * payload length), built here so that the `ws` adapter writes each frame to its socket as one
 * buffer. `ws`'s own `send` builds a header per call and writes header and payload as two chunks
 * inside a cork (a `writev` and a stream pass per chunk); a broadcast's frame is the same bytes for
 * every member, so it is built once and the members' sockets share it.
 */

/** First byte of an unfragmented text frame: FIN set, opcode 0x1. */
const FIN_TEXT = 0x81;
/** First byte of a ping (a control frame, always final): FIN set, opcode 0x9. */
const FIN_PING = 0x89;
/** Payload lengths up to this fit in the 7-bit length field. */
const MAX_SHORT_LENGTH = 125;
/** Payload lengths below this fit in the 16-bit extended length. */
const MAX_MEDIUM_LENGTH = 0xffff;

function headerLength(payloadBytes: number): number {
  if (payloadBytes <= MAX_SHORT_LENGTH) return 2;
  return payloadBytes <= MAX_MEDIUM_LENGTH ? 4 : 10;
}

/** A frame of `payloadBytes` with its header written; the payload goes after `offset`. */
function frameFor(payloadBytes: number): { frame: Buffer; offset: number } {
  const offset = headerLength(payloadBytes);
  const frame = Buffer.allocUnsafe(offset + payloadBytes);
  frame[0] = FIN_TEXT;
  if (offset === 2) frame[1] = payloadBytes;
  else if (offset === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(payloadBytes, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(0, 2);
    frame.writeUInt32BE(payloadBytes, 6);
  }
  return { frame, offset };
}

/**
 * The heartbeat's ping: no payload, so the same two bytes every time, shared by every socket.
 * `ws.ping()` builds an options object and a header per call and writes header and (empty)
 * payload as two chunks, a `writev`; one socket in 15 is pinged each second.
 */
export const PING_FRAME: Buffer = Buffer.from([FIN_PING, 0]);

/** The text frame of one string (a frame for one socket: a pong, a command's answer). */
export function textFrame(text: string): Buffer {
  const { frame, offset } = frameFor(Buffer.byteLength(text));
  frame.write(text, offset);
  return frame;
}

/** The text frame of UTF-8 bytes already encoded. */
export function textFrameOf(payload: Buffer): Buffer {
  const { frame, offset } = frameFor(payload.length);
  payload.copy(frame, offset);
  return frame;
}

/**
 * Frames for payloads that many sockets send in a row (one broadcast reaches every member before
 * the next begins): the frame of the latest payload is kept, so a room's broadcast is framed once
 * rather than once per member. One per server, shared by its adapters.
 */
export class SharedFrames {
  private payload: Buffer | null = null;
  private frame: Buffer | null = null;

  frameOf(payload: Buffer): Buffer {
    if (payload !== this.payload || !this.frame) {
      this.frame = textFrameOf(payload);
      this.payload = payload;
    }
    return this.frame;
  }
}
