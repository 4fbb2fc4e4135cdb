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

/**
 * Runs a backplane operation; a failure that is not a protocol refusal (Redis unreachable, a
 * connection reset) becomes a retryable `UNAVAILABLE` instead of an `INTERNAL` error.
 */
export async function viaBackplane<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    throw new ProtocolError("UNAVAILABLE", "the room service is briefly unavailable; retry shortly");
  }
}
