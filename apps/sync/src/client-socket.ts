/**
 * What a room needs from a connection: the `ws` adapter implements it for real sockets, tests
 * with an in-memory double.
 */
export interface ClientSocket {
  /** Sends one text frame; returns false when the frame was dropped (socket closed or congested). */
  send(text: string): boolean;
  close(code: number, reason: string): void;
  readonly isOpen: boolean;
}
