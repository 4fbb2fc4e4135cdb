/**
 * A mono 16-bit PCM WAV of a sine tone: a demo track the tests upload, generated so the repository
 * holds no audio binaries.
 */
export function sineWav(options: { seconds: number; frequency: number; sampleRate?: number }): Buffer {
  const sampleRate = options.sampleRate ?? 22_050;
  const frames = Math.round(options.seconds * sampleRate);
  const dataBytes = frames * 2;
  const buffer = Buffer.alloc(44 + dataBytes);
  buffer.write("RIFF", 0, "ascii");
  buffer.writeUInt32LE(36 + dataBytes, 4);
  buffer.write("WAVE", 8, "ascii");
  buffer.write("fmt ", 12, "ascii");
  buffer.writeUInt32LE(16, 16);
  buffer.writeUInt16LE(1, 20); // PCM
  buffer.writeUInt16LE(1, 22); // mono
  buffer.writeUInt32LE(sampleRate, 24);
  buffer.writeUInt32LE(sampleRate * 2, 28);
  buffer.writeUInt16LE(2, 32);
  buffer.writeUInt16LE(16, 34);
  buffer.write("data", 36, "ascii");
  buffer.writeUInt32LE(dataBytes, 40);
  for (let i = 0; i < frames; i++) {
    const sample = Math.sin((2 * Math.PI * options.frequency * i) / sampleRate) * 0.2;
    buffer.writeInt16LE(Math.round(sample * 32_767), 44 + i * 2);
  }
  return buffer;
}
