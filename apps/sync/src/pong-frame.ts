/**
 * The `time_pong` frame, written out directly: every member's clock probe is answered with one
 * (a third of the frames the server sends), and it holds only numbers, whose JSON text is their
 * `String()`. Saves building the message object for `JSON.stringify`. The caller passes finite
 * numbers (`t0` is validated; the rest come from the server's clock and timeline).
 */
export function timePongFrame(t0: number, t1: number, t2: number, playbackPosition: number | null): string {
  return `{"type":"time_pong","t0":${t0},"t1":${t1},"t2":${t2},"serverTime":${t2},"playbackPosition":${playbackPosition}}`;
}
