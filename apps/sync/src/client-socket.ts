/** A text frame as a string, or as its UTF-8 bytes. */
export type OutboundFrame = string | Buffer;

/**
 * What a room needs from a connection: the `ws` adapter implements it for real sockets, tests
 * with an in-memory double.
 */
export interface ClientSocket {
  /**
   * Sends one text frame: a string, or its UTF-8 bytes already encoded (a broadcast encodes once
   * and hands every member the same buffer). Returns false when the frame was dropped (socket
   * closed or congested).
   */
  send(frame: OutboundFrame): boolean;
  close(code: number, reason: string): void;
  readonly isOpen: boolean;
}
