import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Mp3FrameIndex, TrackInfo, TrackListResponse, TrackResponse } from "@sync-beats/protocol";
import { linkedFrameIndexUrl } from "@sync-beats/sync-engine/media";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeTimecodeSample, DEMO_SAMPLE_RATE } from "@sync-beats/demo-tracks";
import { encodeWith, form, hasFfmpeg, hasLame, mp3, wav } from "./audio-files.js";
import { describeEachBackend, errorCode, startTestApi, uniqueName, WEB_ORIGIN, type Client, type TestApi } from "./harness.js";

const MAX_UPLOAD = 200_000;

describeEachBackend("tracks", (backend) => {
  let api: TestApi;
  let alice: Client;
  let bob: Client;
  const timecodeFile = () => readFileSync(join(api.config.tracksDir, "demo-timecode.wav"));

  beforeAll(async () => {
    // The byte-range tests read the float32 timecode track: the benchmark fixture, seeded on request.
    api = await startTestApi(backend, { env: { TRACK_UPLOAD_MAX_BYTES: String(MAX_UPLOAD), SEED_BENCHMARK_TRACKS: "1" } });
    alice = api.client();
    bob = api.client();
    await alice.signup(uniqueName("alice"));
    await bob.signup(uniqueName("bob"));
  });
  afterAll(() => api.dispose());

  const upload = (client: Client, data: FormData) => client.call("POST", "/api/tracks", { body: data });

  describe("library", () => {
    it("[TR1] lists the seeded demo tracks with absolute audio URLs usable as sync TrackInfo", async () => {
      expect((await api.client().get("/api/tracks")).status).toBe(401);
      const { tracks } = TrackListResponse.parse(await (await alice.get("/api/tracks")).json());
      expect(tracks.map((t) => t.id)).toEqual(["demo-chords", "demo-metronome", "demo-timecode"]);
      const timecode = tracks[2]!;
      expect(timecode).toMatchObject({ isDemo: true, ownerUserId: "system", mimeType: "audio/wav", durationMs: 60_000 });
      expect(timecode.audioUrl).toBe(`${api.url}/api/tracks/demo-timecode/audio`);
      expect(TrackInfo.safeParse({ audioUrl: timecode.audioUrl, duration: timecode.durationMs, trackId: timecode.id }).success).toBe(true);
    });

    it("[TR2] one track by id: 200, unknown 404, malformed id 400, no session 401", async () => {
      const one = await alice.get("/api/tracks/demo-chords");
      expect(TrackResponse.parse(await one.json()).track.title).toBe("Four Chords in C");
      expect((await alice.get("/api/tracks/nope")).status).toBe(404);
      expect((await alice.get("/api/tracks/..%2F..%2Fetc")).status).toBe(400);
      expect((await api.client().get("/api/tracks/demo-chords")).status).toBe(401);
    });

    it("[TR3] seeding is idempotent across restarts, and the system owner cannot log in", async () => {
      await api.stop();
      await api.restart();
      const { tracks } = TrackListResponse.parse(await (await alice.get("/api/tracks")).json());
      expect(tracks.filter((t) => t.isDemo)).toHaveLength(3);
      const system = await api.client().post("/auth/login", { username: "system", password: "anything at all" });
      expect(system.status).toBe(401);
    });

    it("[TR4] without SEED_BENCHMARK_TRACKS the timecode track is not in the library, and the row an earlier start left is removed", async () => {
      await api.stop();
      await api.restart({ seedBenchmarkTracks: false });
      const { tracks } = TrackListResponse.parse(await (await alice.get("/api/tracks")).json());
      expect(tracks.map((t) => t.id)).toEqual(["demo-chords", "demo-metronome"]);
      expect((await alice.get("/api/tracks/demo-timecode")).status).toBe(404);
      // Asked for again (as the benchmark does), it is back.
      await api.stop();
      await api.restart({ seedBenchmarkTracks: true });
      expect((await alice.get("/api/tracks/demo-timecode")).status).toBe(200);
    });
  });

  describe("upload", () => {
    it("[TU1] stores a real audio file under a server-made name and reads its metadata", async () => {
      const bytes = wav(1.5, { title: "Little Sine", artist: "Tester" });
      const response = await upload(alice, form(bytes, "../../evil name.wav", "audio/wav"));
      expect(response.status).toBe(201);
      const { track } = TrackResponse.parse(await response.json());
      expect(track).toMatchObject({ title: "Little Sine", artist: "Tester", durationMs: 1500, mimeType: "audio/wav", sizeBytes: bytes.length, isDemo: false });
      const stored = readdirSync(api.config.tracksDir);
      expect(stored).toContain(`${track.id}.wav`);
      expect(stored.some((name) => name.includes("evil"))).toBe(false);
      expect(existsSync(join(api.config.tracksDir, "..", "..", "evil name.wav"))).toBe(false);
      const audio = await api.client().get(`/api/tracks/${track.id}/audio`);
      expect(Buffer.from(await audio.arrayBuffer()).equals(bytes)).toBe(true);
      const mine = TrackListResponse.parse(await (await alice.get("/api/tracks")).json());
      expect(mine.tracks.map((t) => t.id)).toContain(track.id);
      const theirs = TrackListResponse.parse(await (await bob.get("/api/tracks")).json());
      expect(theirs.tracks.map((t) => t.id)).not.toContain(track.id);
    });

    it("[TU2] without tags, the title falls back to the file's base name (never a path)", async () => {
      const response = await upload(alice, form(wav(0.5), "../../etc/passwd.wav", "audio/x-wav"));
      expect(TrackResponse.parse(await response.json()).track).toMatchObject({ title: "passwd", artist: null });
    });

    it("[TU3] a text file named .mp3 and sent as audio/mpeg is refused by sniffing (415)", async () => {
      const before = readdirSync(api.config.tracksDir).length;
      const response = await upload(alice, form(Buffer.from("this is not music\n".repeat(100)), "song.mp3", "audio/mpeg"));
      expect(response.status).toBe(415);
      expect(await errorCode(response)).toBe("UNSUPPORTED_MEDIA_TYPE");
      expect(readdirSync(api.config.tracksDir).length).toBe(before);
    });

    it("[TU4] a declared non-audio type is refused even when the bytes are audio (415)", async () => {
      const response = await upload(alice, form(wav(0.2), "pic.png", "image/png"));
      expect(response.status).toBe(415);
    });

    it("[TU5] an oversize upload is refused with 413, announced or streamed", async () => {
      const big = wav((MAX_UPLOAD + 100_000) / 16_000);
      expect(big.length).toBeGreaterThan(MAX_UPLOAD + 64 * 1024);
      const announced = await upload(alice, form(big, "big.wav", "audio/wav"));
      expect(announced.status).toBe(413);
      expect(await errorCode(announced)).toBe("PAYLOAD_TOO_LARGE");
      // Just over the limit but within the multipart slack: multer's own limit must catch it.
      const slightly = wav((MAX_UPLOAD + 1000) / 16_000);
      const streamed = await upload(alice, form(slightly, "slightly.wav", "audio/wav"));
      expect(streamed.status).toBe(413);
    });

    it("[TU6] no file, a wrong field or no session are refused", async () => {
      const empty = await alice.call("POST", "/api/tracks", { body: new FormData() });
      expect(empty.status).toBe(400);
      expect((await upload(alice, form(wav(0.2), "a.wav", "audio/wav", "other"))).status).toBe(400);
      expect((await upload(api.client(), form(wav(0.2), "a.wav", "audio/wav"))).status).toBe(401);
    });
  });

  describe("audio with HTTP Range", () => {
    const path = "/api/tracks/demo-timecode/audio";

    it("[TA1] no Range: 200, whole file, correct type and length, Accept-Ranges, ETag", async () => {
      const response = await api.client().get(path);
      expect(response.status).toBe(200);
      const body = Buffer.from(await response.arrayBuffer());
      expect(body.equals(timecodeFile())).toBe(true);
      expect(response.headers.get("content-type")).toBe("audio/wav");
      expect(response.headers.get("content-length")).toBe(String(body.length));
      expect(response.headers.get("accept-ranges")).toBe("bytes");
      expect(response.headers.get("etag")).toMatch(/^"[0-9a-f]{64}"$/);
      expect(response.headers.get("cache-control")).toContain("max-age");
    });

    it("[TA2] first bytes: 206 with Content-Range", async () => {
      const response = await api.client().get(path, { headers: { range: "bytes=0-11" } });
      expect(response.status).toBe(206);
      const size = timecodeFile().length;
      expect(response.headers.get("content-range")).toBe(`bytes 0-11/${size}`);
      expect(response.headers.get("content-length")).toBe("12");
      const body = Buffer.from(await response.arrayBuffer());
      expect(body.toString("ascii", 0, 4)).toBe("RIFF");
      expect(body.toString("ascii", 8, 12)).toBe("WAVE");
    });

    it("[TA3] middle range returns exactly those bytes, and they decode to their timecode position", async () => {
      const file = timecodeFile();
      const dataAt = file.indexOf("data", 12, "ascii") + 8;
      const frame = 30 * DEMO_SAMPLE_RATE + 123;
      const start = dataAt + frame * 4;
      const response = await api.client().get(path, { headers: { range: `bytes=${start}-${start + 7}` } });
      expect(response.status).toBe(206);
      const body = Buffer.from(await response.arrayBuffer());
      expect(body.equals(file.subarray(start, start + 8))).toBe(true);
      expect(decodeTimecodeSample(body.readFloatLE(0))).toBe(frame);
      expect(decodeTimecodeSample(body.readFloatLE(4))).toBe(frame + 1);
    });

    it("[TA4] suffix and open-ended ranges", async () => {
      const file = timecodeFile();
      const suffix = await api.client().get(path, { headers: { range: "bytes=-500" } });
      expect(suffix.status).toBe(206);
      expect(suffix.headers.get("content-range")).toBe(`bytes ${file.length - 500}-${file.length - 1}/${file.length}`);
      expect(Buffer.from(await suffix.arrayBuffer()).equals(file.subarray(file.length - 500))).toBe(true);
      const open = await api.client().get(path, { headers: { range: `bytes=${file.length - 100}-` } });
      expect(open.status).toBe(206);
      expect(open.headers.get("content-length")).toBe("100");
      await open.arrayBuffer();
    });

    it("[TA5] an unsatisfiable range is 416 with Content-Range bytes */size; a malformed one is ignored", async () => {
      const size = timecodeFile().length;
      const beyond = await api.client().get(path, { headers: { range: `bytes=${size}-` } });
      expect(beyond.status).toBe(416);
      expect(beyond.headers.get("content-range")).toBe(`bytes */${size}`);
      expect(beyond.headers.get("cache-control")).toBe("no-store");
      expect(await errorCode(beyond)).toBe("RANGE_NOT_SATISFIABLE");
      const malformed = await api.client().get(path, { headers: { range: "bytes=oops" } });
      expect(malformed.status).toBe(200);
      await malformed.arrayBuffer();
    });

    it("[TA6] conditional requests: If-None-Match gives 304, a stale If-Range gives the whole file", async () => {
      const etag = (await api.client().call("HEAD", path)).headers.get("etag")!;
      const cached = await api.client().get(path, { headers: { "if-none-match": etag } });
      expect(cached.status).toBe(304);
      const stale = await api.client().get(path, { headers: { range: "bytes=0-9", "if-range": '"something-else"' } });
      expect(stale.status).toBe(200);
      await stale.arrayBuffer();
      const fresh = await api.client().get(path, { headers: { range: "bytes=0-9", "if-range": etag } });
      expect(fresh.status).toBe(206);
      await fresh.arrayBuffer();
    });

    it("[TA7] HEAD gives the headers without a body", async () => {
      const head = await api.client().call("HEAD", path, { headers: { range: "bytes=0-99" } });
      expect(head.status).toBe(206);
      expect(head.headers.get("content-length")).toBe("100");
      expect((await head.arrayBuffer()).byteLength).toBe(0);
    });

    it("[TA8] readable cross-origin by the web app: CORS with exposed Range headers, CORP cross-origin", async () => {
      const response = await api.client().get(path, { origin: WEB_ORIGIN, headers: { range: "bytes=0-3" } });
      expect(response.headers.get("access-control-allow-origin")).toBe(WEB_ORIGIN);
      expect(response.headers.get("access-control-expose-headers")).toContain("Content-Range");
      expect(response.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
      await response.arrayBuffer();
    });

    it("[TA9] unknown or malformed track ids: 404 and 400", async () => {
      expect((await api.client().get("/api/tracks/missing/audio")).status).toBe(404);
      expect((await api.client().get("/api/tracks/a.b/audio")).status).toBe(400);
    });

    it.runIf(hasLame)("[TA10] an uploaded MP3's audio links the frame index scanned at upload; a WAV's links none", async () => {
      const mp3File = mp3(2);
      const { track } = TrackResponse.parse(await (await upload(alice, form(mp3File, "mix.mp3", "audio/mpeg"))).json());
      const audio = await api.client().get(`/api/tracks/${track.id}/audio`, { origin: WEB_ORIGIN, headers: { range: "bytes=0-3" } });
      await audio.arrayBuffer();
      expect(audio.headers.get("access-control-expose-headers")).toContain("Link");
      const indexUrl = linkedFrameIndexUrl(audio.headers.get("link"), `${api.url}/api/tracks/${track.id}/audio`);
      expect(indexUrl).toBe(`${api.url}/api/tracks/${track.id}/mp3-frames`);
      const indexResponse = await fetch(indexUrl!, { headers: { origin: WEB_ORIGIN } });
      expect(indexResponse.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
      const index = Mp3FrameIndex.parse(await indexResponse.json());
      // 2 s at 44.1 kHz fill 76.6 frames of 1,152 samples; lame's delay and padding add one to three.
      expect(index.frameCount).toBeGreaterThanOrEqual(77);
      expect(index.frameCount).toBeLessThanOrEqual(80);
      expect(index.steps.length).toBe(Math.ceil(index.frameCount / index.frameStep) - 1);
      expect(mp3File[index.audioStart]).toBe(0xff);

      const wavTrack = TrackResponse.parse(await (await upload(alice, form(wav(1), "plain.wav", "audio/wav"))).json()).track;
      const wavAudio = await api.client().get(`/api/tracks/${wavTrack.id}/audio`);
      await wavAudio.arrayBuffer();
      expect(wavAudio.headers.get("link")).toBeNull();
      expect((await api.client().get(`/api/tracks/${wavTrack.id}/mp3-frames`)).status).toBe(404);
    });

    /** Uploads a 2-s WAV encoded by `tool` (its `args` from input to output) as `fileName`: the track and the encoded bytes. */
    async function uploadEncoded(tool: string, args: (input: string, output: string) => string[], fileName: string, mimeType: string) {
      const bytes = encodeWith(tool, args, fileName, wav(2));
      const { track } = TrackResponse.parse(await (await upload(alice, form(bytes, fileName, mimeType))).json());
      return { track, bytes };
    }

    it.runIf(hasLame)("[TA12] an MP3 stored before frame indexes existed gets its index scanned on the first request, and kept", async () => {
      const { track } = await uploadEncoded("lame", (input, output) => ["--quiet", "-V", "2", input, output], "old.mp3", "audio/mpeg");
      const indexFile = readdirSync(api.config.tracksDir).find((name) => name.startsWith(track.id) && name.endsWith(".mp3-frames.json"))!;
      const scannedAtUpload = readFileSync(join(api.config.tracksDir, indexFile), "utf8");
      // As a track uploaded before the index existed: no index file beside the audio.
      rmSync(join(api.config.tracksDir, indexFile));
      const audio = await api.client().get(`/api/tracks/${track.id}/audio`, { headers: { range: "bytes=0-3" } });
      await audio.arrayBuffer();
      const indexUrl = linkedFrameIndexUrl(audio.headers.get("link"), `${api.url}/api/tracks/${track.id}/audio`)!;
      const [first, second] = await Promise.all([fetch(indexUrl), fetch(indexUrl)]);
      expect([first.status, second.status]).toEqual([200, 200]);
      expect(await first.text()).toBe(scannedAtUpload);
      expect(await second.text()).toBe(scannedAtUpload);
      expect(readFileSync(join(api.config.tracksDir, indexFile), "utf8")).toBe(scannedAtUpload);
    });

    it.runIf(hasFfmpeg)("[TA11] an uploaded ADTS AAC's audio links the index of its ADTS frames", async () => {
      const ffmpegAdts = (input: string, output: string) => ["-loglevel", "error", "-i", input, "-c:a", "aac", "-b:a", "64k", "-f", "adts", output];
      const { track, bytes } = await uploadEncoded("ffmpeg", ffmpegAdts, "mix.aac", "audio/aac");
      const audio = await api.client().get(`/api/tracks/${track.id}/audio`, { headers: { range: "bytes=0-3" } });
      await audio.arrayBuffer();
      const indexUrl = linkedFrameIndexUrl(audio.headers.get("link"), `${api.url}/api/tracks/${track.id}/audio`);
      const index = Mp3FrameIndex.parse(await (await fetch(indexUrl!)).json());
      // 2 s at 8 kHz are 15.6 frames of 1,024 samples, and ffmpeg's 1,024 of priming adds one or two.
      expect(index.frameCount).toBeGreaterThanOrEqual(17);
      expect(index.frameCount).toBeLessThanOrEqual(18);
      expect(index).toMatchObject({ audioStart: 0, audioEnd: bytes.length });
    });
  });
});
