/**
 * Ogg pages back into the packets they carry (RFC 3533 §5: a packet is the run of its lacing
 * segments, continued across pages while a page ends on a 255): the Opus packets a WebCodecs
 * decoder takes, each with its duration from its TOC byte.
 */
import { opusPacketSamples, type OggPage } from "./ogg-opus.js";

/**
 * The whole packets of `pages` (consecutive pages of one stream, in `bytes`), in order: a piece
 * continuing a packet begun before the first page is left out, as is a packet still open after
 * the last page.
 */
export function oggPackets(bytes: Uint8Array, pages: readonly OggPage[]): Uint8Array[] {
  const packets: Uint8Array[] = [];
  let open: Uint8Array[] | null = null;
  for (const page of pages) {
    page.packets.forEach((piece, i) => {
      const body = bytes.subarray(piece.offset, piece.offset + piece.length);
      const continues = i === 0 && page.continued;
      const last = i === page.packets.length - 1 && page.openEnd;
      if (continues && open === null) return;
      const parts: Uint8Array[] = continues && open ? [...open, body] : [body];
      open = null;
      if (last) open = parts;
      else packets.push(parts.length === 1 ? parts[0]! : concat(parts));
    });
  }
  return packets;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** The Opus packets of `pages` with the samples (48 kHz) each decodes to. */
export function opusPackets(bytes: Uint8Array, pages: readonly OggPage[]): { frames: Uint8Array[]; frameSamples: number[] } {
  const frames = oggPackets(bytes, pages);
  return { frames, frameSamples: frames.map((packet) => opusPacketSamples(packet, 0, packet.length)) };
}
