/**
 * @packageDocumentation
 * `@sync-beats/sync-engine/media`: the media-file parsing a server shares with the engine, with
 * no browser API in reach: the API scans an uploaded MP3's (or ADTS AAC's) frames into the index
 * the engine's streamed source seeks by, and finds a truncated MP3's real length.
 */
export { id3v2Size } from "./stream/mpeg-audio.js";
export { buildAdtsFrameIndex, buildMp3FrameIndex, linkedFrameIndexUrl, MP3_FRAME_STEP, truncatedMp3DurationMs } from "./stream/mp3-frame-index.js";
