import { describe, expect, it } from "vitest";
import { chooseVersion, offeredVersions } from "./index.js";

const spoken = { min: 2, max: 4 };

describe("protocol versions", () => {
  it("[PV1] a v1 client's single protocolVersion counts as the range {n, n}; a join offering nothing offers null", () => {
    expect(offeredVersions({ protocolVersion: 1 })).toEqual({ min: 1, max: 1 });
    expect(offeredVersions({ versions: { min: 2, max: 3 }, protocolVersion: 1 })).toEqual({ min: 2, max: 3 });
    expect(offeredVersions({})).toBeNull();
  });

  it("[PV2] overlapping ranges choose the newest version both speak", () => {
    expect(chooseVersion({ min: 1, max: 3 }, spoken)).toEqual({ ok: true, version: 3 });
    expect(chooseVersion({ min: 3, max: 9 }, spoken)).toEqual({ ok: true, version: 4 });
    expect(chooseVersion({ min: 4, max: 4 }, spoken)).toEqual({ ok: true, version: 4 });
    expect(chooseVersion({ min: 1, max: 2 }, spoken)).toEqual({ ok: true, version: 2 });
  });

  it("[PV3] a client entirely below the server's range is CLIENT_TOO_OLD", () => {
    expect(chooseVersion({ min: 1, max: 1 }, spoken)).toEqual({ ok: false, code: "CLIENT_TOO_OLD" });
  });

  it("[PV4] a client entirely above the server's range is SERVER_TOO_OLD", () => {
    expect(chooseVersion({ min: 5, max: 7 }, spoken)).toEqual({ ok: false, code: "SERVER_TOO_OLD" });
  });
});
