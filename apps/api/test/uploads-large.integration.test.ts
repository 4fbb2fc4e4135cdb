import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TrackResponse } from "@sync-beats/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256OfFile } from "../src/tracks/library.js";
import { startTestApi, uniqueName, WEB_ORIGIN, type Client, type TestApi } from "./harness.js";
import { streamUpload, writeSparseWav } from "./large-upload.js";

const BIG = 300 * 1024 * 1024 + 44;
const CAP = 2 * 1024 * 1024;

describe("uploads of real sizes [sqlite]", () => {
  const scratch = mkdtempSync(join(tmpdir(), "upload-large-"));
  let api: TestApi;
  let small: TestApi;
  let alice: Client;
  let carol: Client;
  const incoming = (target: TestApi) => readdirSync(target.config.incomingDir);
  const headers = (client: Client) => ({ origin: WEB_ORIGIN, cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join("; ") });

  beforeAll(async () => {
    api = await startTestApi("sqlite", { seedDemoTracks: false });
    small = await startTestApi("sqlite", { seedDemoTracks: false, env: { TRACK_UPLOAD_MAX_BYTES: String(CAP) } });
    alice = api.client();
    carol = small.client();
    await alice.signup(uniqueName("alice"));
    await carol.signup(uniqueName("carol"));
  });
  afterAll(async () => {
    await api.dispose();
    await small.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  it("[TU7] the default cap takes a 300 MB WAV streamed to disk, stored intact and probed from the file", { timeout: 180_000 }, async () => {
    const source = join(scratch, "mix.wav");
    await writeSparseWav(source, BIG);
    const result = await streamUpload({ url: `${api.url}/api/tracks`, path: source, sizeBytes: BIG, fileName: "mix.wav", mimeType: "audio/wav", headers: headers(alice) });
    expect(result.status, result.body).toBe(201);
    const { track } = TrackResponse.parse(JSON.parse(result.body));
    expect(track.sizeBytes).toBe(BIG);
    // Stereo 16-bit at 44.1 kHz: 176,400 bytes a second.
    expect(track.durationMs).toBeCloseTo(((BIG - 44) / 176_400) * 1000, 0);
    const stored = join(api.config.tracksDir, `${track.id}.wav`);
    expect((await stat(stored)).size).toBe(BIG);
    expect(await sha256OfFile(stored)).toBe(await sha256OfFile(source));
    expect(incoming(api)).toEqual([]);
  });

  it("[TU8] every refusal leaves no file behind: over the cap (413), not audio (415), client gone, malformed form", async () => {
    const over = join(scratch, "over.wav");
    await writeSparseWav(over, CAP + 100_044);
    // Announced by Content-Length: refused before reading.
    const announced = await streamUpload({ url: `${small.url}/api/tracks`, path: over, sizeBytes: CAP + 100_044, fileName: "o.wav", mimeType: "audio/wav", headers: headers(carol) });
    expect(announced.status).toBe(413);
    // Within the multipart slack: multer's streaming limit stops it after writing part of it.
    const slightly = join(scratch, "slightly.wav");
    await writeSparseWav(slightly, CAP + 8);
    const streamed = await streamUpload({ url: `${small.url}/api/tracks`, path: slightly, sizeBytes: CAP + 8, fileName: "s.wav", mimeType: "audio/wav", headers: headers(carol) });
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body).error.code).toBe("PAYLOAD_TOO_LARGE");
    const text = join(scratch, "text.mp3");
    await writeFile(text, "this is not music\n".repeat(10_000));
    const sniffed = await streamUpload({ url: `${small.url}/api/tracks`, path: text, sizeBytes: (await stat(text)).size, fileName: "t.mp3", mimeType: "audio/mpeg", headers: headers(carol) });
    expect(sniffed.status).toBe(415);
    expect(JSON.parse(sniffed.body).error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    const ok = join(scratch, "ok.wav");
    await writeSparseWav(ok, 100_044);
    const declared = await streamUpload({ url: `${small.url}/api/tracks`, path: ok, sizeBytes: 100_044, fileName: "x.png", mimeType: "image/png", headers: headers(carol) });
    expect(declared.status).toBe(415);
    const gone = await streamUpload({ url: `${small.url}/api/tracks`, path: ok, sizeBytes: 100_044, fileName: "g.wav", mimeType: "audio/wav", headers: headers(carol), abortAfterBytes: 50_000 });
    expect(gone.status).toBe(0);
    const response = await carol.call("POST", "/api/tracks", {
      body: "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\nContent-Type: audio/wav\r\n\r\nRIFF....",
      headers: { "content-type": "multipart/form-data; boundary=x" },
    });
    expect(response.status).toBe(400);
    // The aborted request's cleanup runs when the server notices the closed socket.
    await expect.poll(() => incoming(small), { timeout: 5_000 }).toEqual([]);
    expect(readdirSync(small.config.tracksDir)).toEqual([]);
  });
});
