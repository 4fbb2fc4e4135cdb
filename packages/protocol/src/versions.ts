import type { ErrorCode } from "./errors.js";
import type { VersionRange } from "./primitives.js";

/** The version both sides speak, or which side is too old. */
export type VersionChoice = { ok: true; version: number } | { ok: false; code: Extract<ErrorCode, "CLIENT_TOO_OLD" | "SERVER_TOO_OLD"> };

/** Picks the newest version in both ranges [PV2]; a client entirely below the server's range is too old [PV3], above it the server is [PV4]. */
export function chooseVersion(offered: VersionRange, spoken: VersionRange): VersionChoice {
  if (offered.max < spoken.min) return { ok: false, code: "CLIENT_TOO_OLD" };
  if (offered.min > spoken.max) return { ok: false, code: "SERVER_TOO_OLD" };
  return { ok: true, version: Math.min(offered.max, spoken.max) };
}

/** What a `join` offers: its `versions`, or the single `protocolVersion` of a version 1 client [PV1]. */
export function offeredVersions(join: { versions?: VersionRange; protocolVersion?: number }): VersionRange | null {
  if (join.versions) return join.versions;
  if (join.protocolVersion !== undefined) return { min: join.protocolVersion, max: join.protocolVersion };
  return null;
}
