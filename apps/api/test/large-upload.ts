import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { request } from "node:http";
import { pipeline } from "node:stream/promises";

/**
 * Writes a valid stereo 16-bit 44.1 kHz WAV of exactly `sizeBytes` bytes whose samples are
 * silence, as a sparse file: hundreds of MB cost no disk and no time to make. `sizeBytes - 44`
 * must be a whole number of 4-byte frames.
 */
export async function writeSparseWav(path: string, sizeBytes: number): Promise<void> {
  if ((sizeBytes - 44) % 4 !== 0) throw new RangeError("a WAV of whole stereo 16-bit frames needs (size - 44) % 4 === 0");
  const channels = 2;
  const rate = 44_100;
  const blockAlign = channels * 2;
  const dataBytes = sizeBytes - 44;
  const header = Buffer.alloc(44);
  header.write("RIFF", 0, "ascii");
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write("WAVEfmt ", 8, "ascii");
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * blockAlign, 28);
  header.writeUInt16LE(blockAlign, 32);
  header.writeUInt16LE(16, 34);
  header.write("data", 36, "ascii");
  header.writeUInt32LE(dataBytes, 40);
  const file = await open(path, "w");
  try {
    await file.write(header, 0, 44, 0);
    await file.truncate(44 + dataBytes);
  } finally {
    await file.close();
  }
}

/** What {@link streamUpload} got back. */
export interface StreamedUploadResult {
  readonly status: number;
  readonly body: string;
}

/** Options of {@link streamUpload}. */
export interface StreamedUploadOptions {
  readonly url: string;
  readonly path: string;
  readonly sizeBytes: number;
  readonly fileName: string;
  readonly mimeType: string;
  readonly headers: Record<string, string>;
  /** Destroys the request after this many file bytes were sent (a client that goes away). */
  readonly abortAfterBytes?: number;
}

/**
 * POSTs the file at `path` as multipart field `file`, streamed from disk with a Content-Length
 * (as a browser's XHR upload does), so neither side holds it whole.
 */
export function streamUpload(options: StreamedUploadOptions): Promise<StreamedUploadResult> {
  const boundary = `----syncbeats${Date.now()}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${options.fileName}"\r\n` +
      `Content-Type: ${options.mimeType}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return new Promise((resolve, reject) => {
    const req = request(options.url, {
      method: "POST",
      headers: {
        ...options.headers,
        "content-type": `multipart/form-data; boundary=${boundary}`,
        "content-length": String(head.length + options.sizeBytes + tail.length),
      },
    });
    req.on("response", (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (part: string) => (body += part));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", (error) => (options.abortAfterBytes === undefined ? reject(error) : resolve({ status: 0, body: String(error) })));
    req.write(head);
    const end = options.abortAfterBytes === undefined ? undefined : options.abortAfterBytes - 1;
    pipeline(createReadStream(options.path, { end }), req, { end: false }).then(
      () => (options.abortAfterBytes === undefined ? req.end(tail) : req.destroy()),
      reject,
    );
  });
}
