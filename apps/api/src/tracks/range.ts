/**
 * HTTP byte ranges (RFC 9110 §14), as a pure function of the header and the file size.
 *
 * - One range only. A multi-range request is served whole (200): the RFC lets a server ignore
 *   Range, and browsers fetching media never ask for several.
 * - A header that is not `bytes=…` or does not parse is ignored (200), as §14.2 requires.
 * - A well-formed range that cannot be satisfied (first byte at or past the end, a zero-length
 *   suffix, any range of an empty file) is `unsatisfiable` → 416 with a Content-Range of `bytes *` then `/<size>`.
 */
export type RangeResult =
  | { kind: "full" }
  | { kind: "partial"; start: number; end: number }
  | { kind: "unsatisfiable" };

const SPEC = /^(\d*)-(\d*)$/;

export function parseRange(header: string | undefined, size: number): RangeResult {
  if (header === undefined) return { kind: "full" };
  const match = /^\s*bytes\s*=\s*(.+)$/i.exec(header);
  if (!match) return { kind: "full" };
  const specs = match[1]!.split(",").map((s) => s.trim());
  if (specs.length !== 1) return { kind: "full" };
  const parts = SPEC.exec(specs[0]!);
  if (!parts) return { kind: "full" };
  const [, first, last] = parts as unknown as [string, string, string];
  if (first === "" && last === "") return { kind: "full" };

  if (first === "") {
    // Suffix range: the last N bytes.
    const length = Number(last);
    if (length === 0 || size === 0) return { kind: "unsatisfiable" };
    return { kind: "partial", start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(first);
  const requestedEnd = last === "" ? Number.MAX_SAFE_INTEGER : Number(last);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(requestedEnd) || requestedEnd < start) return { kind: "full" };
  if (start >= size) return { kind: "unsatisfiable" };
  return { kind: "partial", start, end: Math.min(requestedEnd, size - 1) };
}
