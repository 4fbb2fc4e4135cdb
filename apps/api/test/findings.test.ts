/**
 * Regression tests for the security review's findings (SECURITY.md, "Fixed since they were
 * found"): each test names the SPEC rule it pins and the finding it closes.
 */
import { existsSync, readdirSync } from "node:fs";
import { TrackListResponse } from "@sync-beats/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeWav } from "../../../scripts/generate-demo-tracks.js";
import { errorCode, startTestApi, uniqueName, type Client, type TestApi } from "./harness.js";

const wav = () =>
  encodeWav({ sampleRate: 8000, channels: 1, format: "pcm16", frames: 1600, sample: (frame) => Math.sin(frame / 10) * 0.5 });

interface Part {
  /** The raw `name` parameter, written as is (no escaping), so it may be empty or hold control characters. */
  field: string;
  fileName?: string;
  type?: string;
  body: Buffer;
}

/** A multipart body written byte by byte: FormData would escape what these tests must send raw. */
function multipart(parts: Part[], boundary = "sync-beats-boundary"): { body: Buffer; contentType: string } {
  const chunks = parts.flatMap((part) => {
    const fileName = part.fileName === undefined ? "" : `; filename="${part.fileName}"`;
    const type = part.type === undefined ? "" : `\r\nContent-Type: ${part.type}`;
    return [Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.field}"${fileName}${type}\r\n\r\n`, "latin1"), part.body, Buffer.from("\r\n")];
  });
  return { body: Buffer.concat([...chunks, Buffer.from(`--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe("findings", () => {
  describe("multipart errors (B6, B7)", () => {
    let api: TestApi;
    let alice: Client;
    const logLines: string[] = [];
    beforeAll(async () => {
      api = await startTestApi("sqlite", { seedDemoTracks: false, logLines });
      alice = api.client();
      await alice.signup(uniqueName("uploader"));
    });
    afterAll(() => api.dispose());

    const send = (body: Buffer, contentType: string) =>
      alice.call("POST", "/api/tracks", { body: new Uint8Array(body), headers: { "content-type": contentType } });

    it("[TU6] (B6, B7) a malformed multipart form is a 400 VALIDATION_FAILED, never a 500, and stores nothing", async () => {
      const cases: Record<string, { body: Buffer; contentType: string }> = {
        "NUL in the file name (B6)": multipart([{ field: "file", fileName: "a.wav\u0000.sh", type: "audio/wav", body: wav() }]),
        "\\u0005 in the file name (B6)": multipart([{ field: "file", fileName: "\u0005", type: "audio/wav", body: wav() }]),
        "empty field name, file part (B7)": multipart([{ field: "", fileName: "a.wav", type: "audio/wav", body: wav() }]),
        "empty field name, text part (B7)": multipart([{ field: "", body: Buffer.from("x") }, { field: "file", fileName: "a.wav", type: "audio/wav", body: wav() }]),
        "truncated form": { body: multipart([{ field: "file", fileName: "a.wav", type: "audio/wav", body: wav() }]).body.subarray(0, 200), contentType: "multipart/form-data; boundary=sync-beats-boundary" },
        "no boundary": { body: Buffer.from("--x\r\n\r\n--x--\r\n"), contentType: "multipart/form-data" },
      };
      for (const [name, { body, contentType }] of Object.entries(cases)) {
        const response = await send(body, contentType);
        expect(response.status, name).toBe(400);
        expect(await errorCode(response), name).toBe("VALIDATION_FAILED");
      }
      const { tracks } = TrackListResponse.parse(await (await alice.get("/api/tracks")).json());
      expect(tracks).toEqual([]);
      expect(existsSync(api.config.tracksDir) ? readdirSync(api.config.tracksDir) : []).toEqual([]);
      // Refusals, not failures: nothing at error level.
      expect(logLines.filter((line) => JSON.parse(line).level >= 50)).toEqual([]);
      // The same route still takes a well-formed upload.
      const ok = multipart([{ field: "file", fileName: "fine.wav", type: "audio/wav", body: wav() }]);
      expect((await send(ok.body, ok.contentType)).status).toBe(201);
    });
  });
});
