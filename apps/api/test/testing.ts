/**
 * Test harnesses shared outside this app: the real API over a real database (`tests/`), and the
 * REST fuzz (`fuzz/`), and streamed uploads from disk (`bench/media`).
 */
export { type Backend, Client, describeEachBackend, startTestApi, type TestApi, uniqueName } from "./harness.js";
export { restCounters, startRestFuzz } from "./hardening/rest-fuzz.js";
export { streamUpload, writeSparseWav } from "./large-upload.js";
