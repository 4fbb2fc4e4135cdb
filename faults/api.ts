import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { AppProcess, cuttableProxy, freePort, type ScenarioResult, sleep } from "./lib.js";

const WEB_ORIGIN = "http://localhost:3000";

/**
 * Finding B9 (SECURITY.md, fixed): during a database outage the API answers 503 UNAVAILABLE (it
 * answered 500 INTERNAL before), so the scenario fails on any other status.
 */
const REQUIRE_503 = true;

/** A logged-in browser tab: the session cookie from signup, replayed on every request. */
async function signup(base: string): Promise<string> {
  const response = await fetch(`${base}/auth/signup`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: WEB_ORIGIN },
    body: JSON.stringify({ username: `fault${randomBytes(3).toString("hex")}`, password: "correct horse battery" }),
  });
  if (response.status !== 201) throw new Error(`signup: ${response.status} ${await response.text()}`);
  return response.headers.getSetCookie().find((c) => c.startsWith("sb.sid="))!.split(";")[0]!;
}

const dashboard = (base: string, cookie: string) => fetch(`${base}/auth/dashboard`, { headers: { cookie } });

function apiProcess(port: number, dataDir: string, databaseUrl?: string): AppProcess {
  const env: Record<string, string> = { PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir, SEED_DEMO_TRACKS: "0", LOG_LEVEL: "warn", WEB_ORIGIN };
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  return new AppProcess("apps/api/src/main.ts", env, `http://127.0.0.1:${port}/healthz`);
}

/** A fresh PostgreSQL database next to `url`'s, dropped by the returned function. */
async function freshDatabase(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `sync_beats_fault_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const target = new URL(url);
  target.pathname = `/${name}`;
  return {
    url: target.toString(),
    async drop() {
      const dropper = new pg.Client({ connectionString: url });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

/** Restart the API (kill -9, then start): a session cookie issued before still works (DB-backed store). */
export async function apiRestart(databaseUrl: string | undefined): Promise<ScenarioResult> {
  const name = `API kill -9 and restart keeps sessions (${databaseUrl ? "postgres" : "sqlite"})`;
  const dataDir = mkdtempSync(join(tmpdir(), "sync-beats-fault-"));
  const db = databaseUrl ? await freshDatabase(databaseUrl) : null;
  const port = await freePort();
  const api = apiProcess(port, dataDir, db?.url);
  const base = `http://127.0.0.1:${port}`;
  const figures: Record<string, string | number> = {};
  try {
    await api.start();
    const cookie = await signup(base);
    const before = await (await dashboard(base, cookie)).json();
    await api.kill9();
    figures["restart (ms)"] = Math.round(await api.start());
    const after = await dashboard(base, cookie);
    figures["dashboard after restart"] = after.status;
    const same = after.status === 200 && JSON.stringify(await after.json()) === JSON.stringify(before);
    figures["same user"] = String(same);
    return { name, outcome: same ? "pass" : "fail", figures, notes: [] };
  } catch (error) {
    return { name, outcome: "fail", figures, notes: [String(error)] };
  } finally {
    await api.stop();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * PostgreSQL goes away under a running API (connections dropped, new ones refused), then comes
 * back. While it is away the API must stay up and answer `503 { error: { code, message } }`; once
 * it is back, the same session works again without a restart.
 */
export async function databaseOutage(databaseUrl: string | undefined): Promise<ScenarioResult> {
  const name = "PostgreSQL unavailable: API stays up, typed error, recovery";
  if (!databaseUrl) return { name, outcome: "skipped", figures: {}, notes: ["TEST_DATABASE_URL is not set"] };
  const db = await freshDatabase(databaseUrl);
  const proxyPort = await freePort();
  const proxy = cuttableProxy(Number(new URL(databaseUrl).port || 5432));
  const viaProxy = new URL(db.url);
  viaProxy.host = `127.0.0.1:${proxyPort}`;
  const dataDir = mkdtempSync(join(tmpdir(), "sync-beats-fault-"));
  const port = await freePort();
  const api = apiProcess(port, dataDir, viaProxy.toString());
  const base = `http://127.0.0.1:${port}`;
  const figures: Record<string, string | number> = {};
  const notes: string[] = [];
  try {
    await proxy.open(proxyPort);
    await api.start();
    const cookie = await signup(base);
    await proxy.cut();
    await sleep(200);
    const during: number[] = [];
    let body = "";
    for (let i = 0; i < 5; i += 1) {
      const started = performance.now();
      const response = await dashboard(base, cookie).catch(() => null);
      figures[`outage answer ${i + 1}`] = response ? `${response.status} in ${Math.round(performance.now() - started)} ms` : "no answer";
      during.push(response?.status ?? 0);
      body = response ? await response.text() : body;
    }
    figures["outage body"] = body.slice(0, 120);
    figures["API process alive during outage"] = String(api.alive);
    await proxy.open(proxyPort);
    const recoveredAt = performance.now();
    let recovered = 0;
    while (performance.now() - recoveredAt < 10_000) {
      recovered = (await dashboard(base, cookie).catch(() => null))?.status ?? 0;
      if (recovered === 200) break;
      await sleep(100);
    }
    figures["recovered to 200 after (ms)"] = recovered === 200 ? Math.round(performance.now() - recoveredAt) : "never";
    const typed = /^\{"error":\{"code":"[A-Z_]+","message"/.test(body);
    const unavailable = during.every((s) => s === 503);
    const ok = api.alive && during.every((s) => s >= 500) && typed && recovered === 200;
    if (!unavailable) notes.push(`open finding B9: answered ${[...new Set(during)].join("/")} during the outage; 503 expected`);
    const outcome = !ok || (REQUIRE_503 && !unavailable) ? "fail" : unavailable ? "pass" : "degraded";
    return { name, outcome, figures, notes };
  } catch (error) {
    return { name, outcome: "fail", figures, notes: [...notes, String(error), api.output.join("").slice(-1_000)] };
  } finally {
    await proxy.cut();
    await api.stop();
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
