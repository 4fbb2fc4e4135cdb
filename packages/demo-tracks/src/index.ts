/**
 * The demo library: a WAV writer, the timecode codec the sync benchmark reads positions with, and
 * the three demo tracks the API installs on first start. Output is deterministic, byte for byte.
 */
export { DEMO_TRACKS, type DemoTrack } from "./catalogue.js";
export { generateDemoTracks } from "./generate.js";
export {
  DEMO_SAMPLE_RATE,
  TIMECODE_FRAMES_PER_UNIT,
  decodeTimecodeSample,
  decodeTimecodeSeconds,
  encodeTimecodeSample,
} from "./timecode.js";
export { encodeWav, type WavSpec } from "./wav.js";
