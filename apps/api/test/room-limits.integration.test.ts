import { RoomResponse } from "@sync-beats/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorCode, startTestApi, uniqueName, type Client, type TestApi } from "./harness.js";

/** Limits on room codes and room creation (issue 12, item 8), with small limits so a test reaches them. */
describe("room limits", () => {
  let api: TestApi;
  let owner: Client;
  let code: string;
  beforeAll(async () => {
    api = await startTestApi("sqlite", {
      seedDemoTracks: false,
      // TRUST_PROXY so X-Forwarded-For names the client address: several "addresses" from one test.
      env: { ROOM_LOOKUP_RATE_LIMIT_MAX: "3", ROOM_CREATE_RATE_LIMIT_MAX: "2", TRUST_PROXY: "1" },
    });
    owner = api.client();
    await owner.signup(uniqueName("owner"));
    code = RoomResponse.parse(await (await owner.post("/api/rooms", { name: "known" })).json()).room.code;
  });
  afterAll(() => api.dispose());

  const from = (address: string) => ({ headers: { "x-forwarded-for": address } });

  async function expectLimited(response: Response) {
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(await errorCode(response)).toBe("RATE_LIMITED");
  }

  it("[RM13] code lookups that miss are limited per client address: 429 RATE_LIMITED with Retry-After", async () => {
    const guesser = api.client();
    // Lookups of a room that exists never count.
    for (let i = 0; i < 10; i += 1) expect((await guesser.get(`/api/rooms/${code}`, from("203.0.113.1"))).status).toBe(200);
    for (const guess of ["ZZZZZ2", "ZZZZZ3", "ZZZZZ4"]) expect((await guesser.get(`/api/rooms/${guess}`, from("203.0.113.1"))).status).toBe(404);
    await expectLimited(await guesser.get("/api/rooms/ZZZZZ5", from("203.0.113.1")));
    // Every by-code route shares the count, the known code included, once the address is limited.
    await expectLimited(await guesser.get(`/api/rooms/${code}/participants`, from("203.0.113.1")));
    await expectLimited(await owner.post(`/api/rooms/${code}/join`, undefined, from("203.0.113.1")));
    await expectLimited(await guesser.get(`/api/rooms/${code}`, from("203.0.113.1")));
    // Another address is not limited.
    expect((await guesser.get(`/api/rooms/${code}`, from("203.0.113.2"))).status).toBe(200);
    expect((await guesser.get("/api/rooms/ZZZZZ6", from("203.0.113.2"))).status).toBe(404);
  });

  it("[RM14] room creation is limited per user, whatever the address", async () => {
    const busy = api.client();
    await busy.signup(uniqueName("busy"));
    expect((await busy.post("/api/rooms", { name: "one" }, from("198.51.100.1"))).status).toBe(201);
    expect((await busy.post("/api/rooms", { name: "two" }, from("198.51.100.2"))).status).toBe(201);
    await expectLimited(await busy.post("/api/rooms", { name: "three" }, from("198.51.100.3")));
    // Another user, from the same address, still can.
    const calm = api.client();
    await calm.signup(uniqueName("calm"));
    expect((await calm.post("/api/rooms", { name: "mine" }, from("198.51.100.3"))).status).toBe(201);
    // Without a session the answer is still 401, not a count against anyone.
    expect((await api.client().post("/api/rooms", { name: "x" })).status).toBe(401);
  });
});
