import { it } from "vitest";
import { encodeWav } from "../../../../scripts/generate-demo-tracks.js";
import { startTestApi, uniqueName } from "../harness.js";
it("probe", async () => {
  const lines: string[] = [];
  const api = await startTestApi("sqlite", { seedDemoTracks: false, logLines: lines });
  const c = api.client();
  await c.signup(uniqueName("nul"));
  const data = new FormData();
  data.append("file", new Blob([encodeWav({ sampleRate: 8000, channels: 1, format: "pcm16", frames: 4000, sample: () => 0 })], { type: "audio/wav" }), "a.wav\u0000.sh");
  const r = await c.call("POST", "/api/tracks", { body: data });
  console.log(r.status, await r.text());
  console.log(lines.filter((l) => l.includes("error")).join("\n").slice(0, 3000));
  await api.dispose();
});
