/**
 * The playback timeline of a room, one model for the sync server and the browser engine: what a
 * timeline is, the position it answers at any server instant, what each host command means on
 * the server ({@link applyCommand}) and what each broadcast means on a client
 * ({@link applyTimelineMessage}, which the server's commands run too). Pure: no I/O, no timers.
 */
export {
  EMPTY_TIMELINE,
  HISTORY_MS,
  anchorAt,
  isTrackActive,
  positionAt,
  positionFromAnchor,
  pruneTimeline,
  stateAt,
  upcomingAnchors,
  type Anchor,
  type Timeline,
  type TimelineState,
} from "./timeline.js";
export { applyTimelineMessage, isTimelineMessage, type TimelineMessage } from "./messages.js";
export { applyCommand, effectiveInstant, joinMessages, resyncFor, type CommandResult } from "./commands.js";
