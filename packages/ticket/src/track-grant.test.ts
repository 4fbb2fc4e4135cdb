import { describe, expect, it } from "vitest";
import { signTicket } from "./index.js";
import { signTrackGrant, verifyTrackGrant } from "./track-grant.js";

const secret = "0123456789abcdef-test-secret";
const track = { trackId: "demo-a", audioUrl: "http://localhost:5001/api/tracks/demo-a/audio", duration: 4_000, title: "A", artist: "B" };

describe("track grants", () => {
  it("[Q2] a grant verifies to the track it was signed for, until it expires", () => {
    const grant = signTrackGrant(track, secret, 1_000, 60_000);
    expect(verifyTrackGrant(grant, secret, 2_000)).toEqual(track);
    expect(verifyTrackGrant(grant, secret, 61_000)).toBeNull();
  });

  it("[Q2] a forged, altered or other-secret grant is refused", () => {
    const grant = signTrackGrant(track, secret, 1_000);
    const [payload, signature] = grant.split(".");
    const altered = Buffer.from(JSON.stringify({ track: { ...track, duration: 9_999 }, exp: 9e12 })).toString("base64url");
    expect(verifyTrackGrant(`${altered}.${signature}`, secret, 2_000)).toBeNull();
    expect(verifyTrackGrant(grant, "another-secret-0123456789", 2_000)).toBeNull();
    expect(verifyTrackGrant(`${payload}`, secret, 2_000)).toBeNull();
    expect(verifyTrackGrant("not a grant", secret, 2_000)).toBeNull();
  });

  it("[Q2] a join ticket signed with the same secret is not a grant", () => {
    const ticket = signTicket({ userId: "u", name: "U", roomCode: "ABCD", room: { name: null, ownerId: null, listenersCanControl: false, version: 1 } }, secret, 1_000);
    expect(verifyTrackGrant(ticket, secret, 2_000)).toBeNull();
  });
});
