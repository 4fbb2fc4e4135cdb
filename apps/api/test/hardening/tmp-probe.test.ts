import { it } from "vitest";
import { startTestApi, uniqueName } from "../harness.js";
it("probe", async () => {
  for (const backend of ["sqlite", "postgres"] as const) {
    const api = await startTestApi(backend, { seedDemoTracks: false });
    const c = api.client();
    await c.signup(uniqueName("nul"));
    const r1 = await c.post("/api/rooms", { name: "a\u0000b" });
    const r2 = await api.client().post("/auth/signup", { username: uniqueName("nul"), password: "12345678x", displayName: "x\u0000y" });
    const r3 = await api.client().post("/auth/login", { username: "x\u0000y", password: "12345678x" });
    const r4 = await c.post("/api/rooms", { name: "\ud800 lone" });
    const r5 = await api.client().post("/auth/signup", { username: uniqueName("lone"), password: "\ud800\udc00\ud800abcdefgh" });
    console.log(backend, r1.status, await r1.text(), r2.status, await r2.text(), r3.status, r4.status, await r4.text(), r5.status);
    await api.dispose();
  }
});
