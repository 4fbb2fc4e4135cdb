import { existsSync, readdirSync } from "node:fs";
import { TrackListResponse, TrackResponse } from "@sync-beats/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { form, hasLame, mp3, wav } from "./audio-files.js";
import { describeEachBackend, errorCode, startTestApi, uniqueName, type Client, type TestApi } from "./harness.js";

describeEachBackend("track changes", (backend) => {
  let api: TestApi;
  let alice: Client;
  let bob: Client;

  beforeAll(async () => {
    api = await startTestApi(backend);
    alice = api.client();
    bob = api.client();
    await alice.signup(uniqueName("alice"));
    await bob.signup(uniqueName("bob"));
  });
  afterAll(() => api.dispose());

  const upload = async (client: Client, data: FormData) => client.call("POST", "/api/tracks", { body: data });
  const listed = async (client: Client) => TrackListResponse.parse(await (await client.get("/api/tracks")).json()).tracks.map((t) => t.id);

  describe("deleting", () => {
    it("[TD1] who uploaded a track deletes it: 200 { ok: true }, gone from the library, its audio 404, its file removed", async () => {
      const { track } = TrackResponse.parse(await (await upload(alice, form(wav(1), "gone.wav", "audio/wav"))).json());
      const stored = readdirSync(api.config.tracksDir).filter((name) => name.startsWith(track.id));
      expect(stored).toHaveLength(1);
      const deleted = await alice.delete(`/api/tracks/${track.id}`);
      expect(deleted.status).toBe(200);
      expect(await deleted.json()).toEqual({ ok: true });
      expect(await listed(alice)).not.toContain(track.id);
      expect((await alice.get(`/api/tracks/${track.id}`)).status).toBe(404);
      expect((await api.client().get(`/api/tracks/${track.id}/audio`)).status).toBe(404);
      expect(existsSync(`${api.config.tracksDir}/${stored[0]}`)).toBe(false);
      expect((await alice.delete(`/api/tracks/${track.id}`)).status).toBe(404);
    });

    it("[TD2] nobody else deletes it (403 NOT_OWNER), nor a demo track; a malformed id is 400, no session 401", async () => {
      const { track } = TrackResponse.parse(await (await upload(alice, form(wav(1), "kept.wav", "audio/wav"))).json());
      const refused = await bob.delete(`/api/tracks/${track.id}`);
      expect(refused.status).toBe(403);
      expect(await errorCode(refused)).toBe("NOT_OWNER");
      expect(await errorCode(await alice.delete("/api/tracks/demo-chords"))).toBe("NOT_OWNER");
      expect((await alice.delete("/api/tracks/not%20an%20id")).status).toBe(400);
      expect((await api.client().delete(`/api/tracks/${track.id}`)).status).toBe(401);
      expect(await listed(alice)).toContain(track.id);
      expect(await listed(alice)).toContain("demo-chords");
    });
  });

  it.runIf(hasLame)("[TU9] an MP3 cut off before its end is stored with the length its frames hold, not its header's", async () => {
    const whole = mp3(6);
    const cut = whole.subarray(0, Math.round(whole.length / 3));
    const full = TrackResponse.parse(await (await upload(alice, form(whole, "whole.mp3", "audio/mpeg"))).json()).track;
    const truncated = TrackResponse.parse(await (await upload(alice, form(cut, "cut.mp3", "audio/mpeg"))).json()).track;
    // The header's length: 6 s, plus up to two frames (music-metadata does not trim lame's delay and padding).
    expect(full.durationMs).toBeGreaterThan(5_990);
    expect(full.durationMs).toBeLessThan(6_060);
    // A third of the bytes hold about a third of the frames (VBR: a steady tone keeps them even).
    expect(truncated.durationMs).toBeGreaterThan(1_500);
    expect(truncated.durationMs).toBeLessThan(2_500);
  });
});
