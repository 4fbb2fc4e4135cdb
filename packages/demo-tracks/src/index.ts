/**
 * The demo library: a WAV writer, the timecode codec the sync benchmark reads positions with, and
 * the demo tracks the API installs on first start (the benchmark's timecode track only on request).
 * Output is deterministic, byte for byte.
 */
export { BENCHMARK_TRACKS, DEMO_TRACKS, type DemoTrack } from "./catalogue.js";
export { generateDemoTracks } from "./generate.js";
export {
  DEMO_SAMPLE_RATE,
  TIMECODE_FRAMES_PER_UNIT,
  decodeTimecodeSample,
  decodeTimecodeSeconds,
  encodeTimecodeSample,
} from "./timecode.js";
export { encodeWav, type WavSpec } from "./wav.js";
