import type { CloseCode, ErrorCode } from "@sync-beats/protocol";

/**
 * Thrown by message handlers; the dispatcher turns it into an `error` frame (and closes the
 * socket when `closeWith` is set). The room is never touched after a throw.
 */
export class ProtocolError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly closeWith?: CloseCode,
  ) {
    super(message);
    this.name = "ProtocolError";
  }
}
